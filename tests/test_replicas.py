"""Read replicas, against a real streaming standby: a primary and a standby made for the
test under a temporary folder (`pg_basebackup -R -X stream`), the site served by gunicorn
with DATABASE_REPLICA_URLS. Readers' pages are read from the standby; an editor sees their
own save at once; a reader never gets a page older than the content version, however far
the standby lags; the site keeps serving when the standby stops."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from apps.briefings.replicas import may_read_from_replica
from tests.servers import (
    EDITOR_SETUP,
    ROOT,
    AppServer,
    Cluster,
    Editor,
    collect_static,
    get,
    postgres_programs,
    redis_is_up,
)

REDIS = "redis://127.0.0.1:6379/11"
EDITOR, PASSWORD = "replica-editor", "a long password for the replica test"

SETUP = (
    EDITOR_SETUP
    + r"""
from apps.briefings.models import Issue
issue = Issue.objects.published().order_by("-publication_date").first()
print(json.dumps({"codes": codes, "issue": issue.pk, "path": issue.get_absolute_url()}))
"""
)


def manage(database, *args, **extra):
    env = {**os.environ, "DATABASE_URL": database, "DEBUG": "true", **extra}
    env["DJANGO_SETTINGS_MODULE"] = "briefs_cms.settings"
    env.pop("REDIS_URL", None)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout  # fmt: skip


@pytest.fixture(scope="module")
def clusters():
    """A primary holding the seed archive and an editor, and its streaming standby."""
    if postgres_programs() is None:
        pytest.fail("PostgreSQL's server programs are needed (apt-get install postgresql)")
    primary = Cluster()
    standby = None
    try:
        primary.start(create_database=True)
        manage(primary.url, "manage.py", "migrate", "--noinput", "-v0")
        manage(primary.url, "manage.py", "seed_archive")
        setup = json.loads(
            manage(primary.url, "-c", SETUP, EDITOR, PASSWORD, "5").splitlines()[-1]
        )
        standby = Cluster(standby_of=primary)
        standby.start()
        yield primary, standby, setup
    finally:
        if standby is not None:
            standby.destroy()
        primary.destroy()


@pytest.fixture
def site(clusters, tmp_path):
    if not redis_is_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    primary, standby, setup = clusters
    server = AppServer(
        collect_static(tmp_path / "static"),
        DATABASE_URL=primary.url,
        DATABASE_REPLICA_URLS=standby.url,
        REDIS_URL=REDIS,
        PAGE_CACHE="false",  # every request reads the database
    )
    yield server, primary, standby, setup
    server.stop()


def last_statements(cluster) -> list[str]:
    """The last statement of each of the site's connections to `cluster`."""
    found = cluster.sql(
        "SELECT query FROM pg_stat_activity WHERE datname = 'briefs' "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )
    return found.splitlines()


def ran(cluster, marker) -> bool:
    return any(marker in statement for statement in last_statements(cluster))


# In the issue page's one query (the issue with the neighbours kept for this version).
ISSUE_PAGE = '"briefings_issue"."neighbours", '
SEARCH = "search_searchentry"
NEW = "A standfirst written while the standby lags."


def wait_for(cluster, condition: str, seconds: float = 10) -> None:
    """Until `condition` (a query answering true or false) holds on `cluster`."""
    deadline = time.monotonic() + seconds
    while cluster.sql(condition) != "t":
        assert time.monotonic() < deadline, f"{condition} did not come true"
        time.sleep(0.05)


def holds_the_change(cluster) -> bool:
    return cluster.sql(f"SELECT count(*) FROM briefings_issue WHERE standfirst = '{NEW}'") == "1"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="runs with the PostgreSQL suite")
def test_readers_read_the_standby_editors_the_primary_and_no_page_is_older_than_its_version(
    site,
):
    server, primary, standby, setup = site
    path = setup["path"]

    # A reader's page is read from the standby (after its first reader has rendered it
    # and found its neighbours: they are written to the primary).
    assert get(server.base + path)[0] == 200
    wait_for(
        standby,
        "SELECT rendered <> '{}' AND neighbours IS NOT NULL FROM briefings_issue "
        f"WHERE id = {setup['issue']}",
    )
    status, page = get(server.base + path)
    assert status == 200
    assert ran(standby, ISSUE_PAGE) and not ran(primary, ISSUE_PAGE)

    # The standby stops replaying: it falls behind everything written from now on.
    standby.sql("SELECT pg_wal_replay_pause()")
    try:
        editor = Editor(server.base, EDITOR, PASSWORD, setup["codes"])
        assert editor.save(setup["issue"], NEW) == "accepted"
        # The editor sees their own save at once (their requests read the primary)…
        status, page, _ = editor.request(path)
        assert status == 200 and NEW in page
        # …and so does a reader: the standby has not replayed the change, so the primary
        # serves them.
        status, page = get(server.base + path)
        assert status == 200 and NEW.encode() in page
        # (Asked again, so that the page's own query is each connection's last statement,
        # not the writes of what a new version's first reader finds and keeps.)
        assert get(server.base + path)[0] == 200
        assert ran(primary, ISSUE_PAGE)
        assert (
            standby.sql(f"SELECT count(*) FROM briefings_issue WHERE standfirst = '{NEW}'") == "0"
        )
    finally:
        standby.sql("SELECT pg_wal_replay_resume()")

    # Once the standby has caught up, readers are served from it again.
    position = primary.sql("SELECT pg_current_wal_lsn()")
    wait_for(standby, f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn")
    assert holds_the_change(standby)
    assert not ran(standby, SEARCH)
    status, page = get(server.base + "/search/?q=lags")
    assert status == 200 and setup["path"].encode() in page
    assert ran(standby, SEARCH) and not ran(primary, SEARCH)

    # The standby stops: readers are still served, by the primary.
    standby.stop("immediate")
    try:
        for _ in range(6):
            status, page = get(server.base + path)
            assert status == 200 and NEW.encode() in page
        assert get(server.base + "/issues/")[0] == 200
    finally:
        standby.start()


def test_the_primary_alone_is_used_without_replicas():
    """Without DATABASE_REPLICA_URLS nothing is routed (the settings the suite runs)."""
    from django.conf import settings

    assert list(settings.DATABASES) == ["default"] and not settings.DATABASE_ROUTERS
    assert connection.alias == "default"


@pytest.mark.parametrize(
    ("method", "path", "cookies", "replica"),
    [
        ("GET", "/issues/march-2025/", {}, True),
        ("HEAD", "/search/", {}, True),
        ("GET", "/issues/march-2025/", {"sessionid": "an editor's"}, False),
        ("POST", "/search/", {}, False),
        ("GET", "/admin/briefings/issue/", {}, False),
        ("GET", "/preview/a-share-token/", {}, False),
        ("GET", "/readyz/", {}, False),
    ],
)
def test_which_requests_may_read_from_a_replica(rf, method, path, cookies, replica):
    request = getattr(rf, method.lower())(path)
    request.COOKIES.update(cookies)
    assert may_read_from_replica(request) is replica
