"""The editorial workflow: who may move an issue from which state to which.

States are those of `Issue.state`: draft, review, scheduled, published. Contributors may
submit a draft for review; editors (the `briefings.publish_issue` permission) also send an
issue back to draft, publish it now, schedule it, and unpublish it. Publishing and
scheduling run the publish checklist. Every transition is recorded. The transitions are
made by `apps.briefings.editing.transition`.
"""

from dataclasses import dataclass

from .models import Issue

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
