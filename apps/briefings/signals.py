"""What other parts of the site hear from the editing layer.

`published_content_changed` is sent, inside the change's transaction, by a change that
readers will see —
an issue published, scheduled, unpublished or deleted, pending changes published, a
scheduled issue edited, a shared record in print changed — with the ids of the issues
whose public pages changed (`issue_ids`, possibly empty when only a shared record did).
The page cache and the search index listen to it.
"""

from django.dispatch import Signal

published_content_changed = Signal()
