"""Read replicas: readers' public pages are read from PostgreSQL standbys
(`DATABASE_REPLICA_URLS`), everything else from the primary.

A request may read from a replica when it is a GET or HEAD of a public page by a reader
without a session: not the admin, previews or share links, and never an editor's request
(editors carry a session), so an editor sees their own save at once. The replica is
chosen at the request's first read, among those that answer and have replayed the
primary's write-ahead log up to the position recorded when the content version last
moved on (`contentversion`): a page is never rendered from older content than the version
it is cached under, however far a standby lags. A replica that does not answer is left
alone for a while; with none left, the primary serves.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# A replica that failed is not tried again for this long (seconds).
RESTING = 10
PRIVATE = ("/admin/", "/preview/", "/healthz/", "/readyz/")  # previews: share links too

_request = contextvars.ContextVar("replica_reads", default=None)
_resting_until: dict[str, float] = {}


class _Choice:
    alias: str | None = None


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


def may_read_from_replica(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(PRIVATE)
    )


class ReplicaReadsMiddleware:
    """Marks the requests whose reads may go to a replica (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (replicas() and may_read_from_replica(request)):
            return self.get_response(request)
        token = _request.set(_Choice())
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


class ReplicaRouter:
    """Reads of a marked request from a replica that has caught up; the rest, and every
    write, on the primary. Migrations run on the primary only (standbys replay them)."""

    def db_for_read(self, model, **hints):
        choice = _request.get()
        if choice is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if choice.alias is None:
            choice.alias = _choose()
        return choice.alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first, second, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


def _choose() -> str:
    from .contentversion import current_version

    position = current_version().position
    if position is None:  # not known (no version yet): only the primary is sure
        return DEFAULT_DB_ALIAS
    now = time.monotonic()
    candidates = [alias for alias in replicas() if _resting_until.get(alias, 0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        try:
            if caught_up(alias, position):
                return alias
        except DatabaseError:
            logger.warning("Read replica %s does not answer; reading elsewhere", alias)
            _resting_until[alias] = now + RESTING
            with contextlib.suppress(DatabaseError):
                connections[alias].close()
    return DEFAULT_DB_ALIAS


def caught_up(alias: str, position: str) -> bool:
    """Whether the database `alias` holds everything written up to `position`."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
            [position],
        )
        return bool(cursor.fetchone()[0])


def primary_position() -> str | None:
    """Where the primary's write-ahead log is now (after a change has committed)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]
