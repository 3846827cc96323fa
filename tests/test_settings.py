"""Production is the default: DEBUG off unless set, a strong secret key required, https
enforced, a Content Security Policy on every page; loopback setups switch https off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3Jq-8vX_0pLmZr2TsYw4NcBd6HfGu9AeQiOo1Rt5Ky7Ej3Wn_Vx8Mb2Pz0Lc4Hd6Sf"
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "briefing.example.org"}
ENVIRONMENT = {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
               "SECURE_COOKIES", "SECURE_PROXY_SSL_HEADER", "DJANGO_SETTINGS_MODULE",
               "SENTRY_DSN", "ALLOWED_HOSTS"}  # fmt: skip


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
    )


def setting(name, **env):
    result = manage("shell", "-c", f"from django.conf import settings; print(settings.{name})",
                    **env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def served(**env):
    """What the production entry point (gunicorn loads briefs_cms.wsgi) makes of `env`."""
    environment = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    code = "import briefs_cms.wsgi; from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**environment, **env},
                          capture_output=True, text=True)  # fmt: skip


def test_debug_is_off_unless_set_where_the_site_is_served():
    result = served(SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
    # manage.py, the developer's command line, has it on unless set.
    assert setting("DEBUG") == "True"
    assert setting("DEBUG", DEBUG="false", SECRET_KEY=GOOD_KEY) == "False"


def test_production_refuses_to_start_without_a_secret_key():
    result = served()
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("key", ["short-key", "x" * 60, "django-insecure-" + GOOD_KEY])
def test_production_refuses_a_weak_secret_key(key):
    result = manage("check", DEBUG="false", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_the_deployment_check_finds_nothing_with_production_settings():
    result = manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_https_is_enforced_by_default_and_switched_off_on_loopback():
    assert setting("SECURE_SSL_REDIRECT", **PRODUCTION) == "True"
    assert int(setting("SECURE_HSTS_SECONDS", **PRODUCTION)) >= 365 * 24 * 60 * 60
    assert setting("SESSION_COOKIE_SECURE", **PRODUCTION) == "True"
    loopback = {**PRODUCTION, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
                "SECURE_COOKIES": "false"}  # fmt: skip
    assert setting("SECURE_SSL_REDIRECT", **loopback) == "False"
    assert setting("SECURE_HSTS_SECONDS", **loopback) == "0"
    assert setting("CSRF_COOKIE_SECURE", **loopback) == "False"


def test_the_proxy_header_is_trusted_only_when_named():
    assert setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION) == "None"
    named = {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    assert setting("SECURE_PROXY_SSL_HEADER", **named) == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db
def test_a_forged_forwarded_proto_does_not_make_links_https(client):
    from tests.factories import published_issue

    issue = published_issue()
    page = client.get(issue.get_absolute_url(), headers={"x-forwarded-proto": "https"})
    assert f'href="http://testserver{issue.get_absolute_url()}"' in page.content.decode()
    assert "https://testserver" not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/issues/", "/admin/login/", "/feeds/rss/"])
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


FAIL_ONE_REQUEST = """
from django.test import Client
def broken(request):
    raise RuntimeError("the database went away")
import briefs_cms.urls as urls
from django.urls import path
urls.urlpatterns.insert(0, path("broken/", broken))
from django.urls import clear_url_caches
clear_url_caches()
print("status", Client(raise_request_exception=False).get("/broken/").status_code)
"""


def test_a_request_error_is_logged_to_standard_output_with_its_traceback():
    # No page cache: nothing but the broken view touches a database (there may be none).
    env = {**PRODUCTION, "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
           "PAGE_CACHE": "false", "DATABASE_URL": "sqlite:////nowhere/briefs.sqlite3"}  # fmt: skip
    result = manage("shell", "-c", FAIL_ONE_REQUEST, **env)
    assert "status 500" in result.stdout, result.stderr
    lines = result.stdout.splitlines()
    error = next(i for i, line in enumerate(lines) if "ERROR django.request" in line)
    assert "Internal Server Error: /broken/" in lines[error]
    assert "Traceback" in lines[error + 1]
    assert "RuntimeError: the database went away" in result.stdout


def test_errors_are_reported_to_sentry_when_a_dsn_is_set():
    check = "import sentry_sdk; print('sentry', sentry_sdk.get_client().is_active())"
    assert "sentry False" in manage("shell", "-c", check, **PRODUCTION).stdout
    dsn = "https://public@errors.example.org/1"
    assert "sentry True" in manage("shell", "-c", check, **PRODUCTION, SENTRY_DSN=dsn).stdout
