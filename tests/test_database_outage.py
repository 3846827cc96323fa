"""While the database is unreachable (a restart, a failover), pages that need it answer
503 Service Unavailable with Retry-After, which load balancers, CDNs and crawlers take as
"come back soon", not 500; other errors still answer 500."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests.factories import published_issue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
)
def test_an_unreachable_database_answers_503_with_retry_after(error):
    issue = published_issue()
    client = Client(raise_request_exception=False)
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=error):
        for path in ["/", issue.get_absolute_url(), "/search/?q=plan", "/feeds/rss/"]:
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == "10"
            assert "briefly unavailable" in response.content.decode()
            assert "no-store" in response["Cache-Control"]


def test_other_errors_still_answer_500():
    client = Client(raise_request_exception=False)
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=KeyError):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
