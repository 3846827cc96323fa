import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from tests.signin import sign_in


@pytest.fixture
def editor(db):
    """A superuser: everything in the admin is open to them."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    sign_in(client, editor)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Tests make content with factories, around the editing layer that tells the page
    cache what changed: they see pages rendered afresh. The page cache's own tests turn
    it on (tests/briefings/test_page_cache.py)."""
    from django.core.cache import cache

    from apps.briefings.pagecache import local_pages

    settings.PAGE_CACHE = False
    cache.clear()
    local_pages.clear()


@pytest.fixture
def contributor(db):
    user = UserFactory(is_staff=True, first_name="Cora", last_name="Contributor")
    user.groups.add(Group.objects.get(name="Contributor"))
    return user


@pytest.fixture
def editor_user(db):
    user = UserFactory(is_staff=True, first_name="Eda", last_name="Editor")
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def login(client):
    def login_as(user):
        if user is not None:
            sign_in(client, user)
        return client

    return login_as
