"""What a revision of an issue holds: the issue with its stories, noteworthy items (with
their sources and cited agencies) and credits. Restoring one keeps the issue's workflow
state and version counter as they are now (see IssueAdmin.revision_view)."""

import reversion

from .models import Credit, Issue, NoteworthyAgency, NoteworthyItem, SourceLink, Story


def register():
    if reversion.is_registered(Issue):
        return
    reversion.register(Issue, follow=["stories", "noteworthy_items", "credits"])
    reversion.register(Story)
    reversion.register(NoteworthyItem, follow=["sources", "noteworthyagency_set"])
    reversion.register(SourceLink)
    reversion.register(NoteworthyAgency)
    reversion.register(Credit)
