"""What tests that serve the site from other processes share: free loopback ports, the
test database's URL for another process, app servers with production settings, and an
S3 API on loopback (moto's standalone server)."""

from __future__ import annotations

import html.parser
import http.cookiejar
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
S3_KEYS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database, for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def needs_redis() -> None:
    """Skip the test where Redis is not running on 127.0.0.1:6379; in CI, fail it."""
    if not redis_is_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is needed on 127.0.0.1:6379")
        pytest.skip("Redis is needed on 127.0.0.1:6379")


def wait_until_up(process: subprocess.Popen, url: str, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.2)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Process:
    """A server started for a test, stopped by `stop()`."""

    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class S3Server(Process):
    """moto's standalone S3 server on a loopback port: a real S3 API over HTTP."""

    def __init__(self):
        self.endpoint = f"http://127.0.0.1:{free_port()}"
        port = self.endpoint.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", port],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.process, f"{self.endpoint}/moto-api/", "moto's S3 server")

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def public_bucket(self, name: str):
        """A new bucket whose objects anyone may read (a bucket policy, as in production);
        its client."""
        client = self.client()
        client.create_bucket(Bucket=name)
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": f"arn:aws:s3:::{name}/*"}],
        }  # fmt: skip
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
        return client

    def remove_bucket(self, name: str) -> None:
        client = self.client()
        for listed in client.list_objects_v2(Bucket=name).get("Contents", []):
            client.delete_object(Bucket=name, Key=listed["Key"])
        client.delete_bucket(Bucket=name)

    def environment(self, bucket: str) -> dict:
        """What an app server is given to keep its media in `bucket`."""
        return {"AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": self.endpoint,
                "AWS_S3_REGION_NAME": "us-east-1", **S3_KEYS}  # fmt: skip


PRODUCTION_ON_LOOPBACK = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    # Plain http on loopback: the https switches off.
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_COOKIES": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
}


def collect_static(folder: Path) -> Path:
    """Static files collected into `folder`, as production serves them."""
    env = {**os.environ, **PRODUCTION_ON_LOOPBACK, "STATIC_ROOT": str(folder)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    return folder


def production_env(**settings) -> dict:
    """The environment of another process of the project on the test database: its own
    production settings over plain http on loopback, with `settings` of its own."""
    env = {**os.environ, **PRODUCTION_ON_LOOPBACK, "DATABASE_URL": database_url(), **settings}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the project's own settings
    return env


class AppServer(Process):
    """The site served by gunicorn with production settings on a loopback port, from the
    test database, with `settings` (environment variables) of its own."""

    def __init__(self, static_root: Path, *, workers: int = 2, **settings):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = production_env(
            STATIC_ROOT=str(static_root),
            BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(workers),
            **settings,
        )
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "briefs_cms/gunicorn.py", "briefs_cms.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.process, f"{self.base}/healthz/", "gunicorn")


# PostgreSQL clusters of our own ---------------------------------------------------------


def run(*args, env=None, user=None, check=True) -> str:
    """A program's output; as `user` (from a folder that user may enter) when given."""
    cwd, args = ROOT, [str(arg) for arg in args]
    if user:
        args, cwd = ["runuser", "-u", user, "--", *args], "/"
    result = subprocess.run(args, cwd=cwd, env=env, text=True, capture_output=True)
    if check and result.returncode:
        raise RuntimeError(f"{' '.join(map(str, args[:6]))} failed:\n{result.stdout}\n"
                           f"{result.stderr}")  # fmt: skip
    return result.stdout


def postgres_programs() -> Path | None:
    """Where PostgreSQL's server programs are (Debian keeps them beside each version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """A PostgreSQL cluster of our own in a temporary folder, on a free loopback port:
    never the machine's shared one. As root, it belongs to `postgres` (initdb refuses
    root). `Cluster()` is a new primary; `Cluster(standby_of=primary)` a streaming standby
    of one (`pg_basebackup -R -X stream`)."""

    def __init__(self, *, standby_of: Cluster | None = None, database: str = "briefs"):
        self.bin = postgres_programs()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's initdb was not found (apt-get install postgresql)")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="briefs-pg-"))
        self.data, self.log = self.folder / "data", self.folder / "postgres.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            self.folder.chmod(0o700)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.database = database
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{database}"
        if standby_of is None:
            run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8", user=self.user)  # fmt: skip
            with (self.data / "pg_hba.conf").open("a") as hba:  # standbys may stream from it
                hba.write("host replication postgres 127.0.0.1/32 trust\n")
        else:
            run(self.bin / "pg_basebackup", "-h", "127.0.0.1", "-p", standby_of.port,
                "-U", "postgres", "-D", self.data, "-R", "-X", "stream", "--no-sync",
                "--checkpoint=fast",
                user=self.user)  # fmt: skip

    def pg_ctl(self, *args, check=True):
        # Whole statements in pg_stat_activity, for tests that look at what ran where.
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c track_activity_query_size=65536")  # fmt: skip
        run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", *args,
            user=self.user, check=check)  # fmt: skip

    def start(self, *, create_database=False):
        self.pg_ctl("start")
        if create_database:
            run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                self.database)  # fmt: skip

    def stop(self, mode="fast"):
        self.pg_ctl("stop", "-m", mode, check=False)

    def restart(self):
        self.pg_ctl("restart", "-m", "fast")

    def sql(self, statement: str) -> str:
        return run(self.bin / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                   "-d", self.database, "-At", "-c", statement).strip()  # fmt: skip

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


# An editor at the admin, over HTTP ------------------------------------------------------

# Run with `python -c EDITOR_SETUP + more, username, password, codes` where the database is
# another process's: makes a superuser with that many backup codes (`codes`, a list).
EDITOR_SETUP = r"""
import json, sys, django
django.setup()
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
user = get_user_model().objects.create_superuser(sys.argv[1], "", sys.argv[2])
device = StaticDevice.objects.create(user=user, name="Backup codes")
codes = [StaticToken.random_token() for _ in range(int(sys.argv[3]))]
StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
"""


class FormReader(html.parser.HTMLParser):
    """What a browser would submit from the form with id `form_id`, unchanged."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None
        self._selected = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind in (
                "checkbox", "radio") else "")))  # fmt: skip
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select, self._selected = attrs["name"], []
        elif tag == "option" and self._select and "selected" in attrs:
            self._selected.append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields += [(self._select, value) for value in self._selected]
            self._select = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    """A person at the admin: signs in with a password (and a backup code where two
    factors are required: `codes`), opens pages and saves."""

    def __init__(self, base, username, password, codes=()):
        self.base, self.username, self.password = base, username, password
        self.codes = list(codes)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.signed_in = False

    def request(self, path, data=None):
        """Status, text and headers of a GET (or a POST of `data`), redirects not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def sign_in(self):
        status, _, headers = self.request("/admin/login/")
        if status == 302 and headers["Location"] == "/admin/":  # still signed in
            self.signed_in = True
            return
        if status != 200:
            raise OSError(f"sign-in page {status}")
        data = {"csrfmiddlewaretoken": self.csrf(), "username": self.username,
                "password": self.password, "next": "/admin/"}  # fmt: skip
        if self.codes:
            data["otp_code"] = self.codes.pop()
        status, _, headers = self.request("/admin/login/", data)
        if status != 302 or headers["Location"] != "/admin/":
            raise OSError(f"sign-in answered {status}")
        self.signed_in = True

    def save(self, issue_id, standfirst, *, publish=True) -> str:
        """Open the issue's form, write `standfirst`, save (and publish a live issue's
        changes). 'accepted', or what went wrong."""
        if not self.signed_in:
            self.sign_in()
        path = f"/admin/briefings/issue/{issue_id}/change/"
        status, page, _ = self.request(path)
        if status == 302:  # the session is gone (e.g. its cache was restarted)
            self.signed_in = False
            return "signed out"
        if status != 200:
            return f"form {status}"
        reader = FormReader("issue_form")
        reader.feed(page)
        fields = [(k, v) for k, v in reader.fields if k != "standfirst"]
        fields += [("standfirst", standfirst), ("_publish" if publish else "_continue", "1")]
        status, page, headers = self.request(path, fields)
        if status == 302:
            return "accepted"
        if status == 200:
            errors = re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', page, re.S)
            return "refused: " + (errors[0][:80] if errors else "form shown again")
        return f"save {status}"


def password_for_servers(user, password: str) -> None:
    """Give `user` a password the servers' settings can check: the suite hashes with MD5
    for speed, which production settings do not accept."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    salt = secrets.token_hex(8)
    user.password = PBKDF2PasswordHasher().encode(password, salt, iterations=1000)
    user.save(update_fields=["password"])
