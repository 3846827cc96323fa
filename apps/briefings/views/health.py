"""For load balancers: `/healthz/` says the process answers (no database, nothing else),
`/readyz/` that it can serve pages: the database and the cache answer."""

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001  (any failure means not ready)
        checks["database"] = f"failing: {type(error).__name__}"
    try:
        cache.set("readyz", "ok", 10)
        checks["cache"] = "ok" if cache.get("readyz") == "ok" else "failing: no round trip"
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"failing: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if ready else 503)
