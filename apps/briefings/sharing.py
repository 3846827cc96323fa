"""Share links: signed, expiring, revocable addresses that show one unpublished issue to a
reviewer without an account."""

import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import ShareLink

DAYS = 7
SALT = "briefings.share-link"


def create(issue, user, days=DAYS) -> ShareLink:
    return ShareLink.objects.create(
        issue=issue, created_by=user, expires_at=timezone.now() + datetime.timedelta(days=days)
    )


def token(link: ShareLink) -> str:
    # No timestamp in the signature: the link's expiry lives in the database, and the
    # same link always reads the same.
    return signing.Signer(salt=SALT).sign_object(link.pk)


def url(link: ShareLink) -> str:
    return reverse("briefings:share", kwargs={"token": token(link)})


def revoke(link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


class Invalid(Exception):
    """A token that was tampered with or names no link."""


class Gone(Exception):
    """A real link that has expired or been revoked."""


def resolve(value: str) -> ShareLink:
    """The link a token stands for, or Invalid or Gone."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(value)
    except signing.BadSignature as error:
        raise Invalid from error
    link = ShareLink.objects.select_related("issue").filter(pk=pk).first()
    if link is None:
        raise Invalid
    if not link.is_active:
        raise Gone
    return link
