"""A kept database connection is checked before a request uses it, without a round trip:
one the server has ended is replaced; a live one is used as it is."""

import time
from unittest import mock

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's check"),
]


@pytest.fixture
def kept():
    """A second connection to the test database, as a worker keeps one between requests."""
    other = connections.create_connection("default")
    other.ensure_connection()
    yield other
    other.close()


def test_a_live_connection_is_usable_without_a_query(kept):
    with mock.patch.object(kept.connection, "cursor", side_effect=AssertionError("a query")):
        assert kept.is_usable()
    with mock.patch.object(kept.connection, "execute", side_effect=AssertionError("a query")):
        assert kept.is_usable()


def test_a_connection_the_server_ended_is_not_usable(kept):
    with kept.connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:  # as a restart or a failover would end it
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while kept.is_usable():
        assert time.monotonic() < deadline, "the ended connection still looks usable"
        time.sleep(0.01)


def test_a_closed_connection_is_not_usable(kept):
    kept.connection.close()
    assert not kept.is_usable()
