"""A new staff member, where two-factor sign-in is required: signs in with a password, is
led to set up an authenticator app, types the code it shows, keeps the backup codes and
reaches the editorial desk; the next sign-in asks for a code."""

import base64
import re

from django_otp.oath import totp

from tests.browser.helpers import PASSWORD
from tests.factories import UserFactory


def app_code(key_text, step=0):
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    return f"{totp(key, drift=step):06d}"


def test_a_new_staff_member_sets_up_an_app_and_signs_in_with_it(
    live_server, transactional_db, browser, artifacts, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    UserFactory(username="nia", password=PASSWORD, is_staff=True, is_superuser=True)
    base = live_server.url
    errors = []
    for width in (360, 1280):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "nia")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{base}/admin/two-factor/set-up/")
        assert page.locator(".qr-code svg").is_visible()
        page.screenshot(path=artifacts / f"two-factor-set-up-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 360:
            page.context.close()
            continue

        key = re.search(r"Key: ([A-Z2-7 ]+)", page.inner_text(".qr-code figcaption")).group(1)
        page.fill("#id_code", "000000")
        page.click("input[type=submit]")
        assert "That code does not match" in page.inner_text("#content-main")
        page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
        page.fill("#id_code", app_code(key))
        page.click("input[type=submit]")
        codes = page.locator(".backup-codes code").all_inner_texts()
        assert len(codes) == 10
        page.screenshot(path=artifacts / "two-factor-backup-codes-1280.png", full_page=True)
        page.click("text=Continue to the editorial desk")
        page.wait_for_url(f"{base}/admin/")
        assert "no two-factor sign-in yet" not in page.content()
        page.click("#user-tools >> text=Two-factor sign-in")
        assert "10 left" in page.inner_text("#content-main")
        page.screenshot(path=artifacts / "two-factor-status-1280.png", full_page=True)

        page.click("#logout-form button")
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "nia")
        page.fill("#id_password", PASSWORD)
        page.fill("#id_otp_code", codes[0])
        page.click("input[type=submit]")
        page.wait_for_url(f"{base}/admin/")
    assert errors == []
