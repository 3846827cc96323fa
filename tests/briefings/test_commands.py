import pytest
from django.core.management import call_command

from apps.briefings.models import Issue
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


def test_seed_archive_loads_into_an_empty_archive(capsys):
    call_command("seed_archive")
    assert Issue.objects.published().count() == 5
    assert "Loaded the seed archive: 5 issues." in capsys.readouterr().out


def test_seed_archive_leaves_an_archive_with_issues_alone(capsys):
    issue = IssueFactory()
    call_command("seed_archive")
    assert list(Issue.objects.all()) == [issue]
    assert "not loaded" in capsys.readouterr().out


def test_local_admin_creates_a_superuser_and_prints_the_login(settings, tmp_path, capsys):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    settings.DEBUG = True  # a development-only command
    settings.BASE_DIR = tmp_path
    call_command("local_admin")
    password = (tmp_path / ".admin-password").read_text().strip()
    assert f"user: admin  password: {password}" in capsys.readouterr().out
    # Signing in goes through the throttling backend, which needs the request.
    request = RequestFactory().post("/admin/login/")
    user = authenticate(request, username="admin", password=password)
    assert user.is_superuser and user.is_staff

    call_command("local_admin")  # a second run keeps the same password
    assert (tmp_path / ".admin-password").read_text().strip() == password


def test_local_admin_refuses_to_run_in_production(settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("local_admin")


def test_reindex_if_needed_rebuilds_an_upgraded_archive_only():
    import io

    from apps.briefings.models import Appearance
    from apps.search.models import SearchEntry

    call_command("seed_archive", stdout=io.StringIO())
    Appearance.objects.all().delete()
    SearchEntry.objects.all().delete()  # as after upgrading from a version without them
    out = io.StringIO()
    call_command("reindex", "--if-needed", stdout=out)
    assert "Reindexed" in out.getvalue()
    assert Appearance.objects.exists() and SearchEntry.objects.exists()
    out = io.StringIO()
    call_command("reindex", "--if-needed", stdout=out)
    assert out.getvalue() == ""  # nothing needed
