"""Staff sign-in is throttled: after five wrong passwords for a user name from one address,
even the right password is refused for a while, with a notice saying so."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client, password, username="eda"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_wrong_passwords_lock_the_sign_in_then_it_opens_again(client):
    UserFactory(username="eda", password=PASSWORD, is_staff=True)
    for _ in range(4):
        assert sign_in(client, "guess").status_code == 200  # the form again, with an error
    locked = sign_in(client, "guess")
    assert locked.status_code == 429
    assert "Signing in is paused for 15 minutes" in locked.content.decode()
    assert "Briefs CMS" in locked.content.decode()

    refused = sign_in(client, PASSWORD)  # the right password, too soon
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        signed_in = sign_in(client, PASSWORD)
    # Signed in with the password; this account has no second factor yet, so on to set one up.
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/two-factor/set-up/"
    assert "_auth_user_id" in client.session


def test_a_lockout_is_for_one_user_name_so_others_still_sign_in(client):
    UserFactory(username="eda", password=PASSWORD, is_staff=True)
    UserFactory(username="max", password=PASSWORD, is_staff=True)
    for _ in range(5):
        sign_in(client, "guess", username="eda")
    assert sign_in(client, PASSWORD, username="max").status_code == 302


def test_a_right_password_clears_the_count(client):
    UserFactory(username="eda", password=PASSWORD, is_staff=True)
    for _ in range(4):
        sign_in(client, "guess")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "guess").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302
