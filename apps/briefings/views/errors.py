"""The server-error page, and the answer while the database is unreachable."""

import sys

from django.db import InterfaceError, OperationalError
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER = 10  # seconds: a PostgreSQL restart or failover takes a few


@requires_csrf_token
def server_error(request):
    """503 with Retry-After while the database cannot be reached (a restart, a failover):
    load balancers, CDNs and crawlers come back rather than take the page as broken.
    Anything else is Django's 500."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return django_server_error(request)
    # Static text, like 500.html: nothing here may need the database.
    response = django_server_error(request, template_name="503.html")
    response.status_code = 503
    response.reason_phrase = "Service Unavailable"
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response
