"""Two-factor sign-in for staff (django-otp): an authenticator app (TOTP) and backup codes.

Wherever the site runs with DEBUG off, every staff account needs a second factor to use
the admin: the first sign-in with a password leads straight to setting up an
authenticator app. In local development the password alone is enough until a device is
set up; once an account has one, its code is always asked for.
"""

import base64

from django.conf import settings
from django.contrib.auth import user_login_failed
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
BACKUP_CODES = 10


def required() -> bool:
    return settings.TWO_FACTOR_REQUIRED


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def is_verified(user) -> bool:
    return getattr(user, "is_verified", lambda: False)()


def check_code(user, code, request=None):
    """The device that accepts `code` for `user`, or None (counted as a failed sign-in)."""
    code = "".join(code.split())
    device = match_token(user, code) if code else None
    if device is None:
        # django-axes counts this like a wrong password: codes cannot be guessed at leisure.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
    return device


def pending_app(user) -> TOTPDevice:
    """The authenticator app being set up: one key per person until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


@transaction.atomic
def confirm_app(device: TOTPDevice) -> list[str]:
    """Make `device` the person's authenticator app and give them new backup codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Ten new single-use codes; the ones before stop working."""
    backup, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME)
    backup.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def app_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def readable_key(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing into an app that cannot scan."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
