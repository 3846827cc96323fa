"""`make bench`: the public site at archive scale, under load, on PostgreSQL.

For two archives — the seed archive plus 100 synthetic issues, and 10,000 synthetic
issues — it builds a scratch PostgreSQL database, serves it with gunicorn (2 workers,
production settings: DEBUG off, static files collected) and loads each page with wrk from
a second process, twice: cold (PAGE_CACHE off, so every request renders) and warm (the
page cache on, in Redis). Every figure is also given as a ratio to `/healthz/` measured
in the same run, just before and after the page, because these machines are noisy and
their speed drifts over the minutes a run takes. Queries per page are counted
in-process. The table goes to bench/RESULTS.md.

Loopback only, bounded: each page is loaded for DURATION seconds at CONNECTIONS
connections. Needs PostgreSQL and Redis on 127.0.0.1 and Debian's wrk.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from _loopback import PYTHON, ROOT, Gunicorn, django_env

DURATION = int(os.environ.get("BENCH_SECONDS", "5"))
# `/healthz/` is loaded this long just before and after each page, for that page's ratio:
# the machine's speed drifts over the minutes a run takes.
BRACKET = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
SIZES = [("seed + 100", 100), ("10,000", 10_000)]


def run(*args, env=None, quiet=False):
    result = subprocess.run(args, cwd=ROOT, env=env, text=True, capture_output=quiet)
    if result.returncode:
        sys.exit(f"{args[:3]} failed:\n{result.stderr or ''}")
    return result.stdout if quiet else ""


def flush_redis():
    """Nothing of another archive (its content version, counts, pages) may be reused."""
    db = REDIS.rsplit("/", 1)[-1]
    run("redis-cli", "-n", db, "FLUSHDB", quiet=True)


def fresh_database(database: str) -> str:
    """A new, migrated PostgreSQL database of this name (dropped first if it exists), with
    Redis emptied of any other archive's version and pages; its URL."""
    flush_redis()
    admin = f"{POSTGRES}/postgres"
    run("psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {database}", quiet=True)
    run("psql", admin, "-q", "-c", f"CREATE DATABASE {database}", quiet=True)
    url = f"{POSTGRES}/{database}"
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=django_env(url))
    return url


def build(name: str, issues: int) -> str:
    """A fresh database holding the archive; its URL."""
    url = fresh_database(f"briefs_bench_{issues}")
    env = django_env(url)
    started = time.monotonic()
    if issues == 100:
        run(PYTHON, "manage.py", "seed_archive", env=env, quiet=True)
        run(PYTHON, "manage.py", "generate_archive", "--issues", "100", "--force", env=env,
            quiet=True)  # fmt: skip
    else:
        run(PYTHON, "manage.py", "generate_archive", "--issues", str(issues), env=env,
            quiet=True)  # fmt: skip
    print(f"  built the {name} archive in {time.monotonic() - started:.0f} s", flush=True)
    return url


PAGE_SCRIPT = r"""
import json, os, re, django
from urllib.parse import quote
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from apps.agencies.models import Agency
from apps.briefings.models import Issue, NoteworthyItem, PolicyDocument
from apps.people.models import Person

settings.PAGE_CACHE = False
issues = Issue.objects.published().order_by("-publication_date")
issue = issues[3]
story = issue.stories.order_by("position")[1]
person = Person.objects.get(name="Alexander Brown")
agency = Agency.objects.get(abbreviation="MIIT")
pages = issues.count() // 20
rare = None
for item in NoteworthyItem.objects.order_by("-id")[:300]:
    name = item.text.split()[0]
    if name.endswith(("Technology",)) or not name.isalpha():
        continue
    if NoteworthyItem.objects.filter(text__startswith=name + " ").count() == 1:
        rare = name
        break
title = story.document.title_zh
chinese = next(title[i:i + 2] for i in range(len(title) - 1)
               if re.fullmatch(r"[\u4e00-\u9fff]{2}", title[i:i + 2]))
urls = {
    "home": "/",
    "archive": "/issues/",
    "archive, deep page": f"/issues/?page={max(1, pages - 2)}",
    "archive, filtered": "/issues/?agency=miit&section=top5",
    "issue": issue.get_absolute_url(),
    "story": story.get_absolute_url(),
    "agency": agency.get_absolute_url(),
    "agencies": "/agencies/",
    "person": person.get_absolute_url(),
    "search, common word": "/search/?q=china",
    "search, rare word": f"/search/?q={rare.lower()}",
    "search, Chinese": "/search/?q=" + quote(chinese),
    "RSS": "/feeds/rss/",
    "Atom": "/feeds/atom/",
    "sitemap section": "/sitemap-issues.xml",
}
client = Client()
queries = {}
for name, url in urls.items():
    client.get(url)  # once-per-version work (counts, filter choices) out of the way
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries[name] = len(captured)
print(json.dumps({"urls": urls, "queries": queries, "rare": rare, "chinese": chinese}))
"""


def pages_and_queries(database: str) -> dict:
    env = django_env(database, DJANGO_SETTINGS_MODULE="briefs_cms.settings", REDIS_URL=REDIS)
    output = run(PYTHON, "-c", PAGE_SCRIPT, env=env, quiet=True)
    return json.loads(output.strip().splitlines()[-1])


def serve(database: str, page_cache: bool) -> Gunicorn:
    return Gunicorn(database, PAGE_CACHE="true" if page_cache else "false", REDIS_URL=REDIS)


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


# Every request says it takes gzip, as browsers, feed readers and crawlers do.
CLIENT_HEADERS = {"Accept-Encoding": "gzip"}


def load(
    url: str, headers: dict | None = None, connections: int = CONNECTIONS, seconds=DURATION
) -> dict:
    """wrk on one address: requests a second, p50 and p99 in ms, errors."""
    headers = {**CLIENT_HEADERS, **(headers or {})}
    for _ in range(5):  # warm: workers, connections, caches
        request = urllib.request.Request(url, headers=headers or {})
        try:
            urllib.request.urlopen(request, timeout=30).read()
        except urllib.error.HTTPError as error:
            if error.code != 304:
                raise
    threads = min(2, connections)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
            "--timeout", "10s"]  # fmt: skip
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run([*args, url], check=True, text=True, capture_output=True).stdout
    latency = {}
    for percentile, value, unit in WRK_LATENCY.findall(output):
        factor = {"us": 0.001, "ms": 1, "s": 1000}[unit]
        latency[percentile] = float(value) * factor
    socket_errors = WRK_SOCKET.search(output)
    non_2xx = WRK_NON_2XX.search(output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(WRK_RPS.search(output).group(1)),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": errors,
    }


def measure(database: str, pages: dict, page_cache: bool) -> dict:
    server = serve(database, page_cache)
    healthz = server.base + "/healthz/"
    try:
        results = {"/healthz/": load(healthz)}
        issue = server.base + pages["urls"]["issue"]
        loads = [(name, server.base + url, None) for name, url in pages["urls"].items()]
        loads.append(("issue, 304", issue, "etag"))
        before = load(healthz, seconds=BRACKET)["rps"]
        for name, url, conditional in loads:
            headers = None
            if conditional:
                headers = {"If-None-Match": urllib.request.urlopen(url).headers["ETag"]}
            results[name] = load(url, headers)
            after = load(healthz, seconds=BRACKET)["rps"]
            results[name]["healthz"] = (before + after) / 2
            before = after
            print(f"    {name:22} {results[name]['rps']:8.0f} req/s", flush=True)
        results["/healthz/ again"] = load(healthz)
    finally:
        server.stop()
    return results


def main():
    started = time.monotonic()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0",
        env=django_env("sqlite:///unused.sqlite3"))  # fmt: skip
    report = {}
    for name, size in SIZES:
        print(f"{name} issues", flush=True)
        database = build(name, size)
        pages = pages_and_queries(database)
        report[name] = {"pages": pages}
        for mode, page_cache in [("cold", False), ("warm", True)]:
            print(f"  {mode}", flush=True)
            report[name][mode] = measure(database, pages, page_cache)
    write(report, time.monotonic() - started)
    print(f"Wrote bench/RESULTS.md in {time.monotonic() - started:.0f} s")


def ratio(results, name):
    """Requests a second against `/healthz/`'s: loaded just before and after the page, or
    for `/healthz/` itself, at the start and the end of the run."""
    healthz = results[name].get("healthz")
    if healthz is None:
        healthz = (results["/healthz/"]["rps"] + results["/healthz/ again"]["rps"]) / 2
    return results[name]["rps"] / healthz


def write(report: dict, seconds: float):
    small, large = (report[name] for name, _ in SIZES)
    names = list(small["pages"]["urls"]) + ["issue, 304"]
    lines = [
        "# Benchmark results",
        "",
        f"`make bench`, {time.strftime('%Y-%m-%d')}, in {seconds / 60:.0f} minutes. "
        f"PostgreSQL, gunicorn with 2 workers and production settings, wrk with "
        f"{CONNECTIONS} connections for {DURATION} s per page on the same 2-core machine. "
        "*Cold*: the page cache off, every request renders. *Warm*: the page cache on, in "
        "Redis. Each ratio is requests a second against `/healthz/` (no database) in the "
        f"same run, loaded for {BRACKET} s just before and just after the page; p50/p99 "
        "in milliseconds; *q* is SQL queries per page (rendered). "
        "Requests say `Accept-Encoding: gzip`, as browsers and feed readers do: cached "
        "pages are kept and sent compressed; rendered ones are sent as they are.",
        "",
        f"Search words: common “china”; rare “{small['pages']['rare']}” (100) and "
        f"“{large['pages']['rare']}” (10,000), each in one noteworthy item; Chinese "
        f"“{small['pages']['chinese']}” and “{large['pages']['chinese']}”, from a document "
        "title.",
        "",
        "| page | q 100 | q 10k | cold 100 | cold 10k | 10k/100 | warm 100 | warm 10k "
        "| p50/p99 cold 10k | p50/p99 warm 10k | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in ["/healthz/", *names]:
        q_small = small["pages"]["queries"].get(name, "–")
        q_large = large["pages"]["queries"].get(name, "–")
        cold_small, cold_large = ratio(small["cold"], name), ratio(large["cold"], name)
        warm_small, warm_large = ratio(small["warm"], name), ratio(large["warm"], name)
        errors = sum(report[size][mode][name]["errors"] for size in report
                     for mode in ("cold", "warm"))  # fmt: skip
        cold, warm = large["cold"][name], large["warm"][name]
        lines.append(
            f"| {name} | {q_small} | {q_large} | {cold_small:.2f}× | {cold_large:.2f}× "
            f"| {cold_large / cold_small:.2f} | {warm_small:.2f}× | {warm_large:.2f}× "
            f"| {cold['p50']:.1f}/{cold['p99']:.1f} | {warm['p50']:.1f}/{warm['p99']:.1f} "
            f"| {errors} |"
        )
    lines += [
        "",
        "`/healthz/` served "
        + ", ".join(
            f"{size} {mode}: {report[size][mode]['/healthz/']['rps']:.0f}"
            for size in report
            for mode in ("cold", "warm")
        )
        + " requests a second.",
        "",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
