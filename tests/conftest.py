import pytest

from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    """A superuser: everything in the admin is open to them."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
