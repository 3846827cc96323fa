"""Staff sessions as production has them: signed in with a password and verified with a
second factor (a test device of backup codes)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken


def verified_device(user):
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Test device")
    return device


def sign_in(client, user):
    """`client` signed in as `user` and verified, as after giving a code."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()
    return client


def one_time_code(user):
    """A code `user` may sign in with once."""
    code = StaticToken.random_token()
    verified_device(user).token_set.create(token=code)
    return code
