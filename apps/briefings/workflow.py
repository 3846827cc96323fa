"""The editorial workflow: who may move an issue from which state to which.

States are those of `Issue.state`: draft, review, scheduled, published. Contributors may
submit a draft for review; editors (the `briefings.publish_issue` permission) also send an
issue back to draft, publish it now, schedule it, and unpublish it. Publishing and
scheduling run the publish checklist. Every transition is recorded.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Issue, IssueTransition

EDIT = "briefings.change_issue"
PUBLISH = "briefings.publish_issue"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    permission: str
    needs_time: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Submit for review", ("draft",), EDIT),
        Transition("return", "Return to draft", ("review",), PUBLISH),
        Transition("publish", "Publish now", ("draft", "review", "scheduled"), PUBLISH),
        Transition(
            "schedule", "Schedule", ("draft", "review", "scheduled"), PUBLISH, needs_time=True
        ),
        Transition("unpublish", "Unpublish", ("published", "scheduled"), PUBLISH),
    ]
}


def available(issue: Issue, user) -> list[Transition]:
    """The transitions this user may make on this issue now."""
    return [
        t for t in TRANSITIONS.values() if issue.state in t.sources and user.has_perm(t.permission)
    ]


@transaction.atomic
def apply(issue: Issue, name: str, user, at: datetime.datetime | None = None):
    """Move an issue through a transition, or raise PermissionDenied or ValidationError.

    Nothing changes unless everything checks out.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(f"Unknown action “{name}”.")
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not user.has_perm(transition.permission):
        raise PermissionDenied(f"You may not {transition.label.lower()} an issue.")
    before = issue.state
    if before not in transition.sources:
        raise ValidationError(
            f"An issue that is {before} cannot be moved with “{transition.label}”."
        )
    if transition.needs_time:
        if at is None:
            raise ValidationError("Give the date and time at which the issue goes live.")
        if at <= timezone.now():
            raise ValidationError(
                "A scheduled time must be in the future; publish it now instead."
            )
    if name == "submit":
        issue.status = Issue.Status.IN_REVIEW
        issue.save(update_fields=["status", "updated_at"])
    elif name in ("return", "unpublish"):
        issue.unpublish()
    else:  # publish or schedule; Issue.publish runs the checklist
        issue.publish(at=at if name == "schedule" else None)
    return IssueTransition.objects.create(
        issue=issue,
        user=user,
        from_state=before,
        to_state=issue.state,
        publish_at=issue.publish_at,
    ), issue
