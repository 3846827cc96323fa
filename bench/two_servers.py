"""`make bench-two-servers`: the site through two app servers against one, on loopback.

One PostgreSQL database (the seed archive and 1,000 synthetic issues) and one Redis serve
either one gunicorn (2 workers) or two (2 workers each, on two ports, as two machines
behind a load balancer would). Each page is loaded with wrk for DURATION seconds at
CONNECTIONS connections in all: against one server, or half of them against each of the
two at once (two wrk processes, their requests a second added). Cold: the page cache
off, every request renders; warm: the page cache on, in the shared Redis. The ratio is
two servers' requests a second against one server's, in the same run. The table goes to
bench/TWO_SERVERS.md.

On one machine the two servers share its cores with each other and with wrk, so this
measures what a second server costs and that it serves the same pages, not the gain a
second machine brings.
"""

from __future__ import annotations

import concurrent.futures
import time
from functools import partial

from _loopback import PYTHON, ROOT, Gunicorn, django_env
from run import CONNECTIONS, REDIS, fresh_database, load, run

ISSUES = 1000
PAGES = {
    "home": "/",
    "archive": "/issues/",
    "issue": None,  # the newest issue, found once the archive is built
    "search": "/search/?q=battery",
    "RSS": "/feeds/rss/",
}


def build() -> str:
    url = fresh_database("briefs_bench_two_servers")
    env = django_env(url)
    run(PYTHON, "manage.py", "seed_archive", env=env, quiet=True)
    run(PYTHON, "manage.py", "generate_archive", "--issues", str(ISSUES), "--force", env=env,
        quiet=True)  # fmt: skip
    newest = run(PYTHON, "manage.py", "shell", "-v0", "-c",
                 "from apps.briefings.models import Issue; print(Issue.objects.published()"
                 ".order_by('-publication_date').first().get_absolute_url())",
                 env=env, quiet=True)  # fmt: skip
    PAGES["issue"] = newest.strip().splitlines()[-1]
    return url


def measure(servers: list[Gunicorn]) -> dict:
    """Each page's requests a second through these servers, its connections shared out."""
    share = max(1, CONNECTIONS // len(servers))
    results = {}
    for name, path in PAGES.items():
        with concurrent.futures.ThreadPoolExecutor(len(servers)) as pool:
            addresses = [server.base + path for server in servers]
            loads = list(pool.map(partial(load, connections=share), addresses))
        results[name] = {
            "rps": sum(found["rps"] for found in loads),
            "errors": sum(found["errors"] for found in loads),
        }
        print(f"    {name:20} {results[name]['rps']:8.0f} req/s", flush=True)
    return results


def main():
    started = time.monotonic()
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0",
        env=django_env("sqlite:///unused.sqlite3"))  # fmt: skip
    database = build()
    report = {}
    for mode, page_cache in [("cold", "false"), ("warm", "true")]:
        for count in (1, 2):
            print(f"{mode}, {count} server{'s' if count > 1 else ''}", flush=True)
            servers = [Gunicorn(database, PAGE_CACHE=page_cache, REDIS_URL=REDIS)
                       for _ in range(count)]  # fmt: skip
            try:
                report[mode, count] = measure(servers)
            finally:
                for server in servers:
                    server.stop()
    write(report, time.monotonic() - started)


def write(report: dict, seconds: float):
    lines = [
        "# Two app servers against one",
        "",
        f"`make bench-two-servers`, {time.strftime('%Y-%m-%d')}, in {seconds / 60:.0f} "
        f"minutes. PostgreSQL with the seed archive and {ISSUES:,} synthetic issues, Redis, "
        f"gunicorn with 2 workers per server and production settings; wrk with {CONNECTIONS} "
        "connections in all for 5 s per page (against two servers, half against each, at "
        "once), on the same 2-core machine as the servers, so the two servers share its "
        "cores. Requests a second; *2/1* is two servers against one in this run.",
        "",
        "| page | cold, 1 | cold, 2 | cold 2/1 | warm, 1 | warm, 2 | warm 2/1 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in PAGES:
        cells = []
        for mode in ("cold", "warm"):
            one, two = report[mode, 1][name]["rps"], report[mode, 2][name]["rps"]
            cells += [f"{one:.0f}", f"{two:.0f}", f"{two / one:.2f}"]
        errors = sum(report[key][name]["errors"] for key in report)
        lines.append(f"| {name} | {' | '.join(cells)} | {errors} |")
    lines.append("")
    (ROOT / "bench" / "TWO_SERVERS.md").write_text("\n".join(lines), encoding="utf-8")
    print("Wrote bench/TWO_SERVERS.md")


if __name__ == "__main__":
    main()
