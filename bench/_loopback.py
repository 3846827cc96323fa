"""What the benchmarks that serve the site share: gunicorn with production settings, over
plain http on loopback (so the https switches are off), on a free port."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECRET_KEY = secrets.token_urlsafe(50)
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bench-static-"))


def django_env(database, **extra):
    """The environment of production settings on loopback, for `database`."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        # Plain http on loopback: the https switches off.
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": str(STATIC_ROOT),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ok(url) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


class Gunicorn:
    """The site served by gunicorn on a free loopback port, ready (`/readyz/`) once made."""

    def __init__(self, database, *, workers=2, output=subprocess.DEVNULL, **settings):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = django_env(
            database, BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers), **settings
        )
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "briefs_cms/gunicorn.py",
             "briefs_cms.wsgi"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not ok(f"{self.base}/readyz/"):
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)

    def workers(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                               text=True).stdout  # fmt: skip
        return [int(pid) for pid in found.split()]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)
