"""Two-factor sign-in for staff: where it is required (DEBUG off), the editorial desk opens
only to a session verified with a code from an authenticator app or a backup code, and a
staff account without one is led to set one up. In local development the password alone
is enough until the account has a device; once it has one, its code is always asked for."""

import re

import pytest
from django.test import override_settings
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
required = override_settings(TWO_FACTOR_REQUIRED=True)


@pytest.fixture
def eda(db):
    return UserFactory(username="eda", password=PASSWORD, is_staff=True, is_superuser=True)


def sign_in(client, code="", username="eda", password=PASSWORD):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_code": code},
    )


def unthrottle(user):
    """django-otp slows down each device after a wrong code; a test need not wait."""
    for device in devices_for_user(user, confirmed=None):
        device.throttle_reset()


def code_for(device, offset=0):
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=offset):06d}"


def set_up_app(client):
    """Go through the set-up page; the device and the backup codes it showed."""
    page = client.get("/admin/two-factor/set-up/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username="eda", confirmed=False)
    done = client.post("/admin/two-factor/set-up/", {"code": code_for(device)})
    assert done.status_code == 200, done.content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    return device, codes


def enrolled(client, eda):
    """eda with a confirmed authenticator app; the client signed out again."""
    client.force_login(eda)
    device, codes = set_up_app(client)
    client.logout()
    return device, codes


@required
def test_a_password_alone_leads_a_new_staff_member_to_set_up_an_app(client, eda):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/admin/two-factor/set-up/"
    # Signed in with a password only: the desk stays shut, and its sign-in page leads back.
    desk = client.get("/admin/")
    assert desk.status_code == 302 and desk["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/")["Location"] == "/admin/two-factor/set-up/"
    assert client.get("/admin/briefings/issue/").status_code == 302


@required
def test_setting_up_an_app_shows_a_scannable_code_and_then_backup_codes(client, eda):
    sign_in(client)
    page = client.get("/admin/two-factor/set-up/")
    html = page.content.decode()
    qr_code = re.search(r'<figure class="qr-code">(.*?)</figure>', html, re.S).group(1)
    assert "<svg" in qr_code and "script" not in qr_code and "style=" not in qr_code
    device = TOTPDevice.objects.get(user=eda)
    assert not device.confirmed
    # The key is shown for typing too, and reloading does not change it.
    key = re.search(r"Key: <code>([A-Z2-7 ]+)</code>", html).group(1)
    assert key in client.get("/admin/two-factor/set-up/").content.decode()
    assert TOTPDevice.objects.filter(user=eda).count() == 1

    wrong = client.post("/admin/two-factor/set-up/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "That code does not match" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302

    device.throttle_reset()
    done = client.post("/admin/two-factor/set-up/", {"code": code_for(device)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "no-store" in done["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200  # this session is verified


@required
def test_with_an_app_the_code_is_asked_for_and_checked(client, eda):
    device, _ = enrolled(client, eda)

    missing = sign_in(client)
    assert missing.status_code == 200
    assert "Enter the code from your authenticator app" in missing.content.decode()
    assert "_auth_user_id" not in client.session

    wrong = sign_in(client, code="123456")
    assert "That code is wrong or has expired" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    unthrottle(eda)
    right = sign_in(client, code=code_for(device, offset=1))  # the next step: clock skew
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@required
def test_a_backup_code_signs_in_once(client, eda):
    _, codes = enrolled(client, eda)
    assert sign_in(client, code=codes[0]).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert "That code is wrong" in sign_in(client, code=codes[0]).content.decode()
    unthrottle(eda)
    assert sign_in(client, code=f" {codes[1]} ").status_code == 302


@required
def test_wrong_codes_count_towards_the_sign_in_lockout(client, eda):
    device, _ = enrolled(client, eda)
    for _ in range(4):
        assert sign_in(client, code="999999").status_code == 200
    assert sign_in(client, code="999999").status_code == 429
    unthrottle(eda)
    # The right password and code, too soon after: still locked out.
    assert sign_in(client, code=code_for(device, offset=1)).status_code == 429
    assert "_auth_user_id" not in client.session


@required
def test_a_password_alone_cannot_replace_an_app(client, eda):
    enrolled(client, eda)
    client.force_login(eda)  # a password-only session, as a thief with the password has
    assert client.get("/admin/two-factor/set-up/").status_code == 403
    assert client.post("/admin/two-factor/set-up/", {"code": "123456"}).status_code == 403
    assert client.get("/admin/").status_code == 302


def test_the_set_up_page_needs_a_signed_in_staff_member(client):
    assert client.get("/admin/two-factor/set-up/")["Location"].startswith("/admin/login/")
    client.force_login(UserFactory(is_staff=False))
    assert client.get("/admin/two-factor/set-up/").status_code == 302
    assert not TOTPDevice.objects.exists()


@required
def test_new_backup_codes_replace_the_old_ones(client, eda):
    device, old = enrolled(client, eda)
    # The code that confirmed the app is spent; the app's next one signs in.
    assert sign_in(client, code=code_for(device)).status_code == 200
    unthrottle(eda)
    assert sign_in(client, code=code_for(device, offset=1)).status_code == 302
    assert client.get("/admin/two-factor/backup-codes/").status_code == 405
    page = client.post("/admin/two-factor/backup-codes/")
    new = re.findall(r"<li><code>(\w+)</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(token__in=old).count() == 0
    status = client.get("/admin/two-factor/")
    assert "10 left" in status.content.decode()


@required
def test_moving_to_a_new_app_keeps_the_old_one_until_the_new_is_confirmed(client, eda):
    old, _ = enrolled(client, eda)
    sign_in(client, code=code_for(old, offset=1))
    client.get("/admin/two-factor/set-up/")
    new = TOTPDevice.objects.get(user=eda, confirmed=False)
    assert new.key != old.key
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    client.post("/admin/two-factor/set-up/", {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=eda).values_list("pk", flat=True)) == [new.pk]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_in_local_development_a_password_is_enough_until_there_is_an_app(client, eda):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    desk = client.get("/admin/")
    assert desk.status_code == 200
    html = desk.content.decode()
    assert "Your account has no two-factor sign-in yet" in html
    assert 'href="/admin/two-factor/set-up/"' in html
    client.logout()

    enrolled(client, eda)
    assert "Enter the code" in sign_in(client).content.decode()
    assert "_auth_user_id" not in client.session
