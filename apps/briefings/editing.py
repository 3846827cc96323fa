"""The one path by which content changes.

Every writer — the admin's forms and inlines, the workflow, spreadsheet imports, the
briefing importer, revision restores — changes an issue inside an `IssueChange`
(`with editing.change(issue, user=..., via=...)`). In one transaction it checks the
user's permission and the version the change was based on, lets the writer change the
rows, enforces the rules for the issue's state (a published issue keeps a complete Top
5), bumps the version and records one revision of the whole issue with who, when and
how. Management commands act as the system (`user=None`).

A change to a live issue does not go live: the writer works on the issue's pending
content, the result is kept as its pending revision, and the live rows are put back as
they were, so readers, feeds, search and the sitemap keep the live issue until an editor
publishes the changes (`publish_changes`). Staff see the pending content in previews and
share links (`working_copy`).

Shared records — policy documents, agencies, people — change inside `change_record`:
once a published issue shows one, only editors may change it, and every change is kept
with the record before and after.

Two bulk paths are the exceptions: restoring a whole backup (`archive.import_archive`,
which brings the revisions themselves back into an empty database) and generating a
synthetic archive for measurements.
"""

from __future__ import annotations

import contextlib
import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from apps.agencies.models import Agency
from apps.people.models import Person

from . import content as issue_content
from . import rendering
from .models import (
    Correction,
    Credit,
    Issue,
    IssueTransition,
    MovedPage,
    NoteworthyItem,
    PolicyDocument,
    RecordChange,
    Revision,
    Story,
    Via,
)
from .signals import published_content_changed
from .workflow import PUBLISH, TRANSITIONS

ADD = "briefings.add_issue"
EDIT = "briefings.change_issue"
DELETE = "briefings.delete_issue"


class Conflict(ValidationError):
    """The change was based on a version of the issue that someone has saved over since."""


def announce(issue_ids=()) -> None:
    """Tell the search index and the page cache that readers' pages changed (those of
    these issues, or only shared records'). Receivers act inside the change's transaction
    (the search index changes with the content) or when it commits (a cache in Redis)."""
    published_content_changed.send(sender=Issue, issue_ids=set(issue_ids))


# Permissions ------------------------------------------------------------------------------


def may_publish(user) -> bool:
    return user is None or user.has_perm(PUBLISH)


def may_edit(user, issue: Issue | None) -> bool:
    """Contributors write new issues, drafts, issues in review and pending changes to live
    issues; a scheduled issue, about to go live as it is, only editors."""
    if user is None:
        return True
    if issue is None or issue.pk is None:
        return user.has_perm(ADD)
    if not user.has_perm(EDIT):
        return False
    if issue.state == "scheduled":
        return user.has_perm(PUBLISH)
    return True


def may_delete(user, issue: Issue) -> bool:
    if user is None:
        return True
    if not user.has_perm(DELETE):
        return False
    return issue.status != Issue.Status.PUBLISHED or user.has_perm(PUBLISH)


def _refuse_edit(issue: Issue | None, user):
    if issue is None or issue.pk is None:
        raise PermissionDenied("You may not add issues.")
    if issue.state == "scheduled":
        raise PermissionDenied(
            f"“{issue.title}” is scheduled to go live; only editors may change it."
        )
    raise PermissionDenied(f"You may not change “{issue.title}”.")


# Changes to an issue ----------------------------------------------------------------------


class IssueChange:
    """One change to one issue, from one writer. `begin()` and `finish()` must run inside
    one transaction; `change()` below wraps them for most writers."""

    def __init__(self, issue: Issue | None, *, user, via: str, base_version=None, summary=""):
        self.issue = issue
        self.user = user
        self.via = via
        self.base_version = base_version
        self.summary = summary
        self.before = None  # the content the writer starts from
        self.live = None  # the live content, while the writer works on pending content
        self.revision = None
        self.abandoned = False

    @property
    def pending(self) -> bool:
        """Whether this change goes to the issue's pending content, not live."""
        return self.live is not None

    def begin(self) -> IssueChange:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("An issue changes inside a transaction.")
        if self.issue is None or self.issue.pk is None:
            if not may_edit(self.user, None):
                _refuse_edit(None, self.user)
            return self
        issue = self.issue = _locked(self.issue)
        if not may_edit(self.user, issue):
            _refuse_edit(issue, self.user)
        if self.base_version is not None and str(self.base_version) != str(issue.version):
            raise Conflict(conflict_message(issue))
        self._updated_at = issue.updated_at
        current = issue_content.snapshot(issue)
        keep_baseline(issue, current)
        if issue.is_live:
            self.live = current
            if issue.pending_revision is not None:
                issue_content.apply(issue, issue.pending_revision.content)
                self.before = issue.pending_revision.content
            else:
                self.before = self.live
        else:
            self.before = current
        return self

    def attach(self, issue: Issue) -> None:
        """The issue a change that began without one has created."""
        self.issue = issue

    def abandon(self) -> None:
        """Keep nothing of this change (e.g. a form with errors)."""
        self.abandoned = True

    def finish(self) -> Revision | None:
        """Check the rules, keep the result and record it; the revision, if anything changed."""
        if self.issue is None or self.issue.pk is None:
            raise RuntimeError("The change made no issue.")
        issue = Issue.objects.select_for_update().get(pk=self.issue.pk)
        issue.count_words()
        after = issue_content.snapshot(issue)
        if issue.status == Issue.Status.PUBLISHED:
            problems = issue.live_problems()
            if problems:
                raise ValidationError(
                    ["This issue is published, so its Top 5 must stay complete.", *problems]
                )
        if self.before is not None and issue_content.same(self.before, after):
            if self.pending:
                issue_content.apply(issue, self.live)
                Issue.objects.filter(pk=issue.pk).update(updated_at=self._updated_at)
            return None
        updates = {"version": F("version") + 1} if self.before is not None else {}
        if self.pending:
            issue_content.apply(issue, self.live)
            updates["updated_at"] = self._updated_at
            if issue_content.same(after, self.live):  # edited back to what is live
                updates.update(pending_revision=None, pending_in_review=False)
            else:
                self.revision = self._record(issue, after, Revision.Kind.PENDING)
                updates["pending_revision"] = self.revision
        else:
            self.revision = self._record(issue, after, Revision.Kind.SAVED)
            updates["updated_at"] = timezone.now()
            updates.update(rendering.out_of_date())
            if issue.status == Issue.Status.PUBLISHED:  # scheduled: its pages change
                announce([issue.pk])
        Issue.objects.filter(pk=issue.pk).update(**updates)
        self.issue.refresh_from_db()
        return self.revision

    def _record(self, issue, after, kind) -> Revision:
        return Revision.objects.create(
            issue=issue,
            user=self.user,
            via=self.via,
            kind=kind,
            summary=self.summary,
            content=after,
        )


def keep_baseline(issue: Issue, current=None) -> None:
    """Content that came in before any recorded change (e.g. the seed archive) is kept as
    the issue's first revision, so that every change can be undone."""
    if not issue.revisions.exists():
        Revision.objects.create(
            issue=issue,
            via=Via.SYSTEM,
            kind=Revision.Kind.PUBLISHED if issue.is_live else Revision.Kind.SAVED,
            summary="The issue as it stood before its first recorded change.",
            content=current or issue_content.snapshot(issue),
        )


@contextlib.contextmanager
def change(issue: Issue | None, *, user, via: str, base_version=None, summary=""):
    """`with change(issue, user=..., via=...) as c:` write the issue's rows; on leaving the
    block the change is checked and recorded, or nothing is kept if anything fails or the
    writer called `c.abandon()`."""
    with transaction.atomic():
        session = IssueChange(
            issue, user=user, via=via, base_version=base_version, summary=summary
        ).begin()
        yield session
        if session.abandoned:
            transaction.set_rollback(True)
        else:
            session.finish()


def conflict_message(issue: Issue) -> str:
    latest = issue.revisions.select_related("user").first()
    who = "Someone else"
    if latest is not None:
        when = timezone.localtime(latest.created_at)
        who = f"{latest.author[:1].upper()}{latest.author[1:]} (at {when:%H:%M})"
    return (
        f"{who} saved this issue after you opened it, so your changes were not saved; "
        "they are still in the form below."
    )


@contextlib.contextmanager
def working_copy(issue: Issue):
    """The issue as its editors see it — with its pending changes applied — for as long
    as the block runs, inside a transaction that is then rolled back: nothing is kept and
    no reader sees it. Render what you need inside the block."""
    pending = issue.pending_revision if issue.pending_revision_id else None
    if pending is None:
        yield issue
        return
    with transaction.atomic():
        issue_content.apply(issue, pending.content)
        try:
            yield issue
        finally:
            transaction.set_rollback(True)
    issue.refresh_from_db()


def restore(issue: Issue, revision: Revision, *, user, base_version=None) -> Revision | None:
    """Give the issue back exactly the content of one of its revisions (to its pending
    content, if the issue is live)."""
    if revision.issue_id != issue.pk:
        raise ValidationError("That revision belongs to another issue.")
    when = timezone.localtime(revision.created_at)
    summary = f"Restored the revision of {when:%d %B %Y, %H:%M} by {revision.author}."
    with change(
        issue, user=user, via=Via.RESTORE, base_version=base_version, summary=summary
    ) as session:
        issue_content.apply(session.issue, revision.content)
    return session.revision


def delete_issue(issue: Issue, *, user) -> None:
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if not may_delete(user, issue):
            raise PermissionDenied(f"You may not delete “{issue.title}”; it is published.")
        if issue.status == Issue.Status.PUBLISHED:
            announce()
        issue.delete()


# Pending changes of live issues ---------------------------------------------------------------


def publish_changes(issue: Issue, *, user, note: str = "", via: str = Via.ADMIN) -> Revision:
    """Make an issue's pending changes live, with an optional correction note readers see."""
    with transaction.atomic():
        issue = _locked(issue)
        if not may_publish(user):
            raise PermissionDenied("Only editors publish changes.")
        if issue.pending_revision is None:
            raise ValidationError("This issue has no pending changes to publish.")
        before = issue_content.snapshot(issue)
        issue_content.apply(issue, issue.pending_revision.content)
        problems = issue.live_problems()
        if problems:
            raise ValidationError(
                ["The changes leave the Top 5 incomplete, so they cannot go live.", *problems]
            )
        after = issue_content.snapshot(issue)
        now = timezone.now()
        note = note.strip()
        revision = Revision.objects.create(
            issue=issue,
            user=user,
            via=via,
            kind=Revision.Kind.PUBLISHED,
            summary=f"Published the pending changes. {note}".strip(),
            content=after,
        )
        Issue.objects.filter(pk=issue.pk).update(
            pending_revision=None,
            pending_in_review=False,
            updated_at=now,
            version=F("version") + 1,
            **rendering.out_of_date(),  # the correction note is part of it
        )
        if note:
            Correction.objects.create(issue=issue, published_at=now, note=note)
        _log(issue, user, "changes published")
        redirect_moved_pages(before, after)
        announce([issue.pk])
        return revision


def _locked(issue: Issue) -> Issue:
    # Only the issue's row is locked: its pending revision is joined, not locked.
    return (
        Issue.objects.select_for_update(of=("self",))
        .select_related("pending_revision")
        .get(pk=issue.pk)
    )


def submit_changes(issue: Issue, *, user) -> None:
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if not may_edit(user, issue):
            _refuse_edit(issue, user)
        if issue.pending_revision_id is None:
            raise ValidationError("This issue has no pending changes to submit.")
        if issue.pending_in_review:
            raise ValidationError("These changes are already in review.")
        Issue.objects.filter(pk=issue.pk).update(pending_in_review=True, version=F("version") + 1)
        _log(issue, user, "changes submitted for review")


def discard_changes(issue: Issue, *, user) -> None:
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if not may_edit(user, issue):
            _refuse_edit(issue, user)
        if issue.pending_revision_id is None:
            raise ValidationError("This issue has no pending changes to discard.")
        Issue.objects.filter(pk=issue.pk).update(
            pending_revision=None, pending_in_review=False, version=F("version") + 1
        )
        _log(issue, user, "changes discarded")


def _log(issue, user, action):
    IssueTransition.objects.create(
        issue=issue,
        user=user,
        from_state=issue.state,
        to_state=issue.state,
        action=action,
        publish_at=issue.publish_at,
    )


# The workflow -----------------------------------------------------------------------------


def transition(issue: Issue, name: str, *, user, at: datetime.datetime | None = None):
    """Move an issue through a workflow transition, or raise PermissionDenied or
    ValidationError having changed nothing. Unpublishing an issue with pending changes
    makes them its (draft) content."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise ValidationError(f"Unknown action “{name}”.")
    with transaction.atomic():
        issue = _locked(issue)
        if user is not None and not user.has_perm(step.permission):
            raise PermissionDenied(f"You may not {step.label.lower()} an issue.")
        before = issue.state
        if before not in step.sources:
            raise ValidationError(
                f"An issue that is {before} cannot be moved with “{step.label}”."
            )
        if step.needs_time:
            if at is None:
                raise ValidationError("Give the date and time at which the issue goes live.")
            if at <= timezone.now():
                raise ValidationError(
                    "A scheduled time must be in the future; publish it now instead."
                )
        pending = issue.pending_revision
        if name == "submit":
            issue.status = Issue.Status.IN_REVIEW
            issue.save(update_fields=["status", "updated_at"])
        elif name in ("return", "unpublish"):
            issue.unpublish()
        else:  # publish or schedule; Issue.publish runs the checklist
            issue.publish(at=at if name == "schedule" else None)
        updates = {"version": F("version") + 1}
        if pending is not None and not issue.is_live:
            # No longer live: the pending changes become the issue's content.
            issue_content.apply(issue, pending.content)
            Revision.objects.create(
                issue=issue,
                user=user,
                via=Via.WORKFLOW,
                summary="The pending changes became the issue’s content when it left the site.",
                content=issue_content.snapshot(issue),
            )
            updates.update(pending_revision=None, pending_in_review=False)
        Issue.objects.filter(pk=issue.pk).update(**updates)
        issue.refresh_from_db()
        if name not in ("submit", "return"):
            announce([issue.pk])
        step_log = IssueTransition.objects.create(
            issue=issue,
            user=user,
            from_state=before,
            to_state=issue.state,
            publish_at=issue.publish_at,
        )
        return step_log, issue


# Addresses that move ----------------------------------------------------------------------


def _paths(content) -> dict:
    """{(kind, id): public path} of an issue's pages in a snapshot."""
    slug = content["issue"]["slug"]
    paths = {("issue", 0): reverse("briefings:issue", kwargs={"slug": slug})}
    for story in content["stories"]:
        paths[("story", story["id"])] = reverse(
            "briefings:story", kwargs={"issue_slug": slug, "slug": story["slug"]}
        )
    return paths


def redirect_moved_pages(before, after) -> None:
    """Leave a permanent redirect from every address of a live issue that a change moved."""
    old, new = _paths(before), _paths(after)
    for key, old_path in old.items():
        new_path = new.get(key)
        if new_path is None and key[0] == "story":
            new_path = new[("issue", 0)]  # a story that is gone: its issue
        if new_path and new_path != old_path:
            add_redirect(old_path, new_path)


def add_redirect(old_path: str, new_path: str) -> None:
    """A 301 from old_path to new_path, and every redirect that led to old_path now leads
    to new_path, so no reader follows a chain."""
    MovedPage.objects.filter(new_path=old_path).update(new_path=new_path)
    MovedPage.objects.filter(old_path=new_path).delete()
    MovedPage.objects.update_or_create(old_path=old_path, defaults={"new_path": new_path})


# Shared records ---------------------------------------------------------------------------

RECORD_FIELDS = {
    PolicyDocument: ["label", "title_en", "title_zh", "url", "date", "issuer_note"],
    Agency: ["abbreviation", "name_en", "name_zh", "slug", "kind"],
    Person: ["name", "slug", "role_title", "organisation", "bio", "photo", "photo_alt"],
}


def record_snapshot(record) -> dict:
    """A shared record as plain data, a document with its issuing agencies in order."""
    data = issue_content.values_of(record, RECORD_FIELDS[type(record)])
    if isinstance(record, PolicyDocument):
        data["issuing agencies"] = [
            issuer.agency.abbreviation
            for issuer in record.issuers.select_related("agency").order_by("position", "id")
        ]
    return data


def published_issues():
    """Issues that readers see or are about to see (scheduled ones included)."""
    return Issue.objects.filter(status=Issue.Status.PUBLISHED)


def in_print(record) -> bool:
    """Whether a published issue shows this record."""
    if record.pk is None:
        return False
    if isinstance(record, PolicyDocument):
        return Story.objects.filter(document=record, issue__in=published_issues()).exists()
    manager = type(record).objects
    return manager.shown_in(published_issues()).filter(pk=record.pk).exists()


def issues_showing(record) -> list[int]:
    """Every issue, in any state, that shows a shared record."""
    if record.pk is None:
        return []
    if isinstance(record, PolicyDocument):
        parts = [Story.objects.filter(document=record)]
    elif isinstance(record, Agency):
        # Two indexed lookups: joined by OR in one query, they scan the whole archive.
        parts = [
            Story.objects.filter(document__issuers__agency=record),
            NoteworthyItem.objects.filter(agencies=record),
        ]
    else:
        parts = [Credit.objects.filter(person=record)]
    return list({pk for part in parts for pk in part.values_list("issue_id", flat=True)})


def may_edit_record(user, record) -> bool:
    if user is None:
        return True
    opts = type(record)._meta
    action = "change" if record.pk else "add"
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return False
    return not in_print(record) or user.has_perm(PUBLISH)


class RecordEdit:
    """One change to one shared record; `begin()` and `finish()` inside one transaction."""

    def __init__(self, record, *, user, via: str):
        self.record = record
        self.user = user
        self.via = via
        self.before = None
        self.pk = record.pk

    def begin(self) -> RecordEdit:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("A record changes inside a transaction.")
        record = self.record
        if record.pk is not None:
            stored = type(record).objects.select_for_update().filter(pk=record.pk).first()
            if stored is not None:
                self.before = record_snapshot(stored)
                if not may_edit_record(self.user, stored):
                    raise PermissionDenied(
                        f"“{stored}” appears in published issues; only editors may change it."
                    )
                return self
        if not may_edit_record(self.user, record):
            raise PermissionDenied(f"You may not add {type(record)._meta.verbose_name_plural}.")
        return self

    def finish(self, deleted: bool = False) -> RecordChange | None:
        record = self.record
        after = None if deleted else record_snapshot(type(record).objects.get(pk=record.pk))
        if after == self.before:
            return None
        if self.before is not None:  # no issue can show a record that did not exist
            rendering.forget(issues_showing(record))
        if self.before is not None and (deleted or in_print(record)):
            shown_by = []
            if isinstance(record, PolicyDocument) and not deleted:
                shown_by = Story.objects.filter(
                    document=record, issue__in=published_issues()
                ).values_list("issue_id", flat=True)
            announce(shown_by)
        return RecordChange.objects.create(
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=self.pk or record.pk,
            object_repr=str(record)[:300],
            user=self.user,
            via=self.via,
            before=self.before,
            after=after,
        )


@contextlib.contextmanager
def change_record(record, *, user, via: str):
    """`with change_record(document, user=..., via=...):` save the record (and, for a
    document, its issuing agencies); the change is checked and kept on leaving."""
    with transaction.atomic():
        session = RecordEdit(record, user=user, via=via).begin()
        yield session
        session.finish()


def delete_record(record, *, user, via: str) -> None:
    with transaction.atomic():
        session = RecordEdit(record, user=user, via=via).begin()
        record.delete()
        session.finish(deleted=True)


def record_history(content) -> list[RecordChange]:
    """Changes to the documents, agencies and people an issue's content shows."""
    types = ContentType.objects.get_for_models(PolicyDocument, Agency, Person)
    wanted = {
        PolicyDocument: issue_content.document_ids(content),
        Agency: issue_content.agency_ids(content),
        Person: issue_content.person_ids(content),
    }
    condition = Q(pk__in=[])
    for model, ids in wanted.items():
        if ids:
            condition |= Q(content_type=types[model], object_id__in=ids)
    return list(RecordChange.objects.filter(condition).select_related("user"))


# Merging shared records -------------------------------------------------------------------


def merge_documents(keep: PolicyDocument, duplicates, *, user, via: str = Via.SYSTEM):
    """Make `duplicates` one document with `keep`: every story, pending change and revision
    that links to a duplicate links to `keep` (each issue changed records a revision), the
    blanks of `keep` are filled from the duplicates, the duplicates are deleted and their
    addresses answer with a permanent redirect to `keep`."""
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    ids = {d.pk for d in duplicates}
    if not ids:
        return
    with transaction.atomic():
        edit = RecordEdit(keep, user=user, via=via).begin()
        for name in RECORD_FIELDS[PolicyDocument]:
            if not getattr(keep, name):
                filled = next((getattr(d, name) for d in duplicates if getattr(d, name)), None)
                if filled:
                    setattr(keep, name, filled)
        keep.save()
        if not keep.issuers.exists():
            source = next((d for d in duplicates if d.issuers.exists()), None)
            if source is not None:
                source.issuers.update(document=keep)
        edit.finish()

        def relink(content):
            changed = False
            for story in content["stories"]:
                if story.get("document") in ids:
                    story["document"] = keep.pk
                    changed = True
            if changed:
                content["documents"].pop(str(keep.pk), None)
                content["documents"][str(keep.pk)] = issue_content.document_data(keep)
            return changed

        pending = [
            issue.pk
            for issue in Issue.objects.exclude(pending_revision=None).select_related(
                "pending_revision"
            )
            if issue_content.document_ids(issue.pending_revision.content) & ids
        ]
        affected = Issue.objects.filter(Q(stories__document__in=ids) | Q(pk__in=pending))
        names = ", ".join(f"#{pk}" for pk in sorted(ids))
        summary = f"Policy document {names} merged into #{keep.pk} “{keep}”."
        for issue in Issue.objects.select_for_update().filter(
            pk__in=list(affected.values_list("pk", flat=True))
        ):
            links_now = Story.objects.filter(issue=issue, document__in=ids).exists()
            for revision in issue.revisions.all():
                if relink(revision.content):
                    revision.save(update_fields=["content"])
            if not links_now:
                continue
            keep_baseline(issue)
            Story.objects.filter(issue=issue, document__in=ids).update(document=keep)
            Revision.objects.create(
                issue=issue,
                user=user,
                via=via,
                kind=Revision.Kind.PUBLISHED if issue.is_live else Revision.Kind.SAVED,
                summary=summary,
                content=issue_content.snapshot(issue),
            )
            Issue.objects.filter(pk=issue.pk).update(
                version=F("version") + 1, **rendering.out_of_date()
            )
            if issue.status == Issue.Status.PUBLISHED:
                announce([issue.pk])
        for duplicate in duplicates:
            old_path = reverse("briefings:document", kwargs={"pk": duplicate.pk})
            delete_record(duplicate, user=user, via=via)
            add_redirect(old_path, keep.get_absolute_url())
