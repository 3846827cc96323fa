"""What several browser tests do."""

PASSWORD = "correct horse battery staple"  # the factories' password
WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}  # the screens pages are tried on


def log_in(browser, base, username, width=1280):
    """A new browser signed in to the admin as `username`, with a backup code as the
    second factor."""
    from django.contrib.auth import get_user_model

    from tests.signin import one_time_code

    code = one_time_code(get_user_model().objects.get(username=username))
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_code", code)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page
