"""`make load-faults`: the site under load while things break, on loopback only.

For LOAD_SECONDS (120) wrk sends mixed anonymous reads (home, archive, issues, stories,
agencies, people, search, feeds) at 32 connections to gunicorn (production settings,
2 workers, the page cache in Redis) while an editor, signed in with a password and a
second factor, saves a correction to a live issue through the admin change form and
publishes it, once a second. A third of the way in, one gunicorn worker is killed
(SIGKILL); two thirds of the way in, PostgreSQL is restarted. The database is a cluster
this script makes and starts itself under a temporary folder, as the `postgres` user
(initdb refuses root), on a free port: never the machine's shared one.

An editor whose save fails (the connection drops, the site answers 503) does what a
person does: opens the form again and saves again, until it is accepted. Afterwards
every accepted save must be in the database and on the public page. The table (requests,
errors by kind, saves attempted / accepted / present, recovery times) is printed and
written to bench/LOAD_FAULTS.md.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _loopback import PYTHON, ROOT, STATIC_ROOT, Gunicorn, ok
from _loopback import django_env as loopback_env

sys.path.insert(0, str(ROOT))
from tests.servers import EDITOR_SETUP, Cluster, Editor, FormReader  # noqa: E402

LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "32"))
ISSUES = int(os.environ.get("LOAD_ISSUES", "300"))
REDIS = os.environ.get("LOAD_REDIS", "redis://127.0.0.1:6379/12")
WORKERS = 2
EDITOR, PASSWORD = "load-editor", secrets.token_urlsafe(16)


def run(*args, env=None, user=None, check=True):
    cwd = ROOT
    if user:  # somewhere that user may enter
        args, cwd = ("runuser", "-u", user, "--", *args), "/"
    result = subprocess.run(args, cwd=cwd, env=env, text=True, capture_output=True)
    if check and result.returncode:
        sys.exit(f"{' '.join(map(str, args[:6]))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# The site ------------------------------------------------------------------------------


SETTINGS = {
    "REDIS_URL": REDIS,
    # The editor signs in many times from one address; the lockout is not under test.
    "AXES_FAILURE_LIMIT": "1000",
}


def django_env(database):
    return loopback_env(database, **SETTINGS)


SETUP_SCRIPT = (
    EDITOR_SETUP
    + r"""
from apps.briefings.models import Issue
issues = list(Issue.objects.published().order_by("-publication_date"))
stories = [s for i in issues[:40] for s in i.stories.all()]
print(json.dumps({
    "codes": codes,
    "live": [[i.pk, i.get_absolute_url()] for i in issues],
    "paths": ["/", "/issues/", "/issues/?page=5", "/agencies/", "/people/",
              "/search/?q=battery", "/search/?q=semiconductor+plan", "/feeds/rss/",
              "/feeds/atom/", "/sitemap.xml"]
             + [i.get_absolute_url() for i in issues[:60]]
             + [s.get_absolute_url() for s in stories[:60]],
}))
"""
)


class Site(Gunicorn):
    def __init__(self, database):
        self.log = open(STATIC_ROOT.parent / f"load-faults-gunicorn-{os.getpid()}.log", "w")  # noqa: SIM115
        super().__init__(database, workers=WORKERS, output=self.log, **SETTINGS)

    def stop(self):
        super().stop()
        self.log.close()


def editor_loop(site, setup, stop_at, record):
    """Once a second: a correction to the next live issue, saved and published. A failed
    attempt is tried again (the form opened afresh) until accepted."""
    editor = Editor(site.base, EDITOR, PASSWORD, setup["codes"])
    live = setup["live"]
    number = 0
    while time.monotonic() < stop_at:
        started = time.monotonic()
        issue_id, url = live[number % len(live)]
        marker = f"Correction {number} made under load ({secrets.token_hex(4)})."
        record["attempted"] += 1
        give_up = time.monotonic() + 60
        while True:
            try:
                outcome = editor.save(issue_id, marker)
            except OSError as error:
                outcome = f"connection: {type(error).__name__}: {error}"[:120]
                editor.signed_in = False
            if outcome == "accepted":
                record["accepted"].append((issue_id, url, marker))
                break
            record["seen"].setdefault(outcome.split(":")[0], outcome)
            record["retries"][outcome.split(":")[0]] = (
                record["retries"].get(outcome.split(":")[0], 0) + 1
            )
            if time.monotonic() > give_up:
                record["failed"].append((issue_id, marker, outcome))
                break
            time.sleep(0.5)
        number += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


# The readers ---------------------------------------------------------------------------

WRK_SCRIPT = r"""
local paths = {%s}
local counter = 0
statuses = {}
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("statuses")) do total[key] = (total[key] or 0) + n end
  end
  local parts = {}
  for key, n in pairs(total) do table.insert(parts, string.format('"%%s": %%d', key, n)) end
  io.write("STATUSES {" .. table.concat(parts, ", ") .. "}\n")
  io.write(string.format("ERRORS %%d %%d %%d %%d %%d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("LATENCY %%d %%d\n", latency:percentile(50), latency:percentile(99)))
end
"""


def readers(site, paths, seconds, result):
    script = Path(tempfile.mkdtemp(prefix="load-faults-wrk-")) / "mixed.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    output = subprocess.run(
        ["wrk", "-t4", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s",
         str(script), site.base + "/"],
        text=True, capture_output=True, check=True,
    ).stdout  # fmt: skip
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    result["statuses"] = json.loads(re.search(r"STATUSES (\{.*\})", output).group(1))
    connect, read, write, timeout, _ = map(int, re.search(r"ERRORS ([\d ]+)", output)
                                           .group(1).split())  # fmt: skip
    result["socket"] = {"connect": connect, "read": read, "write": write, "timeout": timeout}
    p50, p99 = map(int, re.search(r"LATENCY (\d+) (\d+)", output).groups())
    result["p50"], result["p99"] = p50 / 1000, p99 / 1000


# The faults ----------------------------------------------------------------------------


def kill_a_worker(site, events):
    before = site.workers()
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    while True:
        now = site.workers()
        if victim not in now and len(now) == WORKERS:
            events["worker replaced"] = time.monotonic() - killed
            return
        if time.monotonic() - killed > 60:
            events["worker replaced"] = None
            return
        time.sleep(0.05)


def restart_database(site, cluster, events):
    started = time.monotonic()
    cluster.restart()
    events["database restart took"] = time.monotonic() - started
    while not ok(f"{site.base}/readyz/"):
        if time.monotonic() - started > 120:
            events["site ready again"] = None
            return
        time.sleep(0.05)
    events["site ready again"] = time.monotonic() - started


def check_saves(site, record):
    """Every accepted save live in the database (the admin's form shows it, with no pending
    changes) and on the public page. How many are present."""
    present = 0
    editor = Editor(site.base, EDITOR, PASSWORD, record["codes_left"])
    editor.sign_in()
    for issue_id, url, marker in record["accepted"]:
        _, public, _ = editor.request(url)
        _, form, _ = editor.request(f"/admin/briefings/issue/{issue_id}/change/")
        reader = FormReader("issue_form")
        reader.feed(form)
        saved = dict(reader.fields).get("standfirst", "") == marker
        if marker in public and saved:
            present += 1
        else:
            where = "in the admin but not on the public page" if saved else "lost"
            record["missing"].append((issue_id, marker, where))
    return present


# Run -----------------------------------------------------------------------------------


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    begun = time.monotonic()
    db = REDIS.rsplit("/", 1)[-1]
    run("redis-cli", "-n", db, "FLUSHDB")
    cluster = Cluster()
    site = None
    try:
        cluster.start(create_database=True)
        env = django_env(cluster.url)
        print(f"PostgreSQL cluster of our own on 127.0.0.1:{cluster.port} in {cluster.folder}")
        run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=env)
        run(PYTHON, "manage.py", "generate_archive", "--issues", str(ISSUES), env=env)
        run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
        setup = json.loads(
            run(PYTHON, "-c", SETUP_SCRIPT, EDITOR, PASSWORD, "500",
                env={**env, "DJANGO_SETTINGS_MODULE": "briefs_cms.settings"})
            .strip().splitlines()[-1]
        )  # fmt: skip
        site = Site(cluster.url)
        print(f"gunicorn ({WORKERS} workers) on {site.base}; {LOAD_SECONDS} s of load at "
              f"{CONNECTIONS} connections over {len(setup['paths'])} addresses")  # fmt: skip

        load_started = time.monotonic()
        stop_at = load_started + LOAD_SECONDS
        reads, events = {}, {}
        record = {"attempted": 0, "accepted": [], "failed": [], "retries": {}, "missing": [],
                  "seen": {},
                  "codes_left": setup["codes"][-10:]}  # fmt: skip
        setup["codes"] = setup["codes"][:-10]
        reader = threading.Thread(target=readers, args=(site, setup["paths"], LOAD_SECONDS,
                                                        reads))  # fmt: skip
        editor = threading.Thread(target=editor_loop, args=(site, setup, stop_at, record))
        reader.start()
        editor.start()
        time.sleep(LOAD_SECONDS / 3)
        print(f"  {time.monotonic() - load_started:5.1f} s: killing a gunicorn worker")
        kill_a_worker(site, events)
        time.sleep(max(0.0, load_started + 2 * LOAD_SECONDS / 3 - time.monotonic()))
        print(f"  {time.monotonic() - load_started:5.1f} s: restarting PostgreSQL")
        restart_database(site, cluster, events)
        reader.join()
        editor.join()
        present = check_saves(site, record)
    finally:
        if site:
            site.stop()
        cluster.destroy()
    write(reads, events, record, present, time.monotonic() - begun)


def write(reads, events, record, present, seconds):
    statuses = reads["statuses"]
    ok_count = sum(n for s, n in statuses.items() if s.startswith(("2", "3")))
    by_status = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())
                          if not s.startswith(("2", "3"))) or "none"  # fmt: skip
    socket_errors = ", ".join(f"{k}: {n}" for k, n in reads["socket"].items() if n) or "none"
    retries = ", ".join(f"{k}: {n}" for k, n in sorted(record["retries"].items())) or "none"

    def secs(value):
        return "never" if value is None else f"{value:.1f} s"

    lines = [
        "# Load with faults",
        "",
        f"`make load-faults`, {time.strftime('%Y-%m-%d')}, {seconds / 60:.0f} minutes in all: "
        f"{LOAD_SECONDS} s of mixed anonymous reads at {CONNECTIONS} connections (wrk) "
        f"against gunicorn ({WORKERS} workers, production settings over plain http on "
        "loopback, so the https switches off; page cache in Redis) "
        f"and a PostgreSQL cluster of the script's own with {ISSUES} issues, while an "
        "editor saves and publishes a correction through the admin once a second. At a "
        "third of the time a worker is killed (SIGKILL); at two thirds PostgreSQL is "
        "restarted (`pg_ctl restart -m fast`). A failed save is tried again, as a person "
        "would, until it is accepted.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| requests | {reads['requests']:,} |",
        f"| answered 2xx/3xx | {ok_count:,} |",
        f"| error answers by status | {by_status} |",
        f"| socket errors | {socket_errors} |",
        f"| read latency p50 / p99 | {reads['p50']:.0f} / {reads['p99']:.0f} ms |",
        f"| saves attempted | {record['attempted']} |",
        f"| saves accepted | {len(record['accepted'])} |",
        f"| saves failed (never accepted) | {len(record['failed'])} |",
        f"| attempts tried again, by what went wrong | {retries} |",
        f"| accepted saves present afterwards | {present} of {len(record['accepted'])} |",
        f"| killed worker replaced after | {secs(events.get('worker replaced'))} |",
        f"| PostgreSQL restart took | {secs(events.get('database restart took'))} |",
        f"| site ready again (`/readyz/`) after the restart began | "
        f"{secs(events.get('site ready again'))} |",
        "",
    ]
    if record["seen"]:
        lines += ["The first failed attempt of each kind:", ""]
        lines += [f"- {text}" for text in record["seen"].values()]
        lines.append("")
    if record["failed"] or record["missing"]:
        lines += ["Failed or missing saves:", ""]
        lines += [f"- {entry}" for entry in record["failed"] + record["missing"]]
        lines.append("")
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "LOAD_FAULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
