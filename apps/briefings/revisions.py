"""What a revision of an issue holds: the issue with its stories, noteworthy items (with
their sources and cited agencies) and credits. The workflow fields are left out, so that
restoring an old revision never publishes or unpublishes an issue, and so is the version
counter, which only ever goes up."""

import reversion

from .models import Credit, Issue, NoteworthyAgency, NoteworthyItem, SourceLink, Story


def register():
    if reversion.is_registered(Issue):
        return
    reversion.register(
        Issue,
        exclude=["status", "publish_at", "version", "created_at", "updated_at"],
        follow=["stories", "noteworthy_items", "credits"],
    )
    reversion.register(Story)
    reversion.register(NoteworthyItem, follow=["sources", "noteworthyagency_set"])
    reversion.register(SourceLink)
    reversion.register(NoteworthyAgency)
    reversion.register(Credit)
