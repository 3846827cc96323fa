"""Turn a parsed briefing into a draft issue, with its stories, noteworthy items and
credits, through the editing layer (`via="importer"`).

Policy documents, agencies and people the archive already holds are matched, not created
again: a document with the same date and the same English title, Chinese title or address
(titles compared without case, spaces or punctuation), an agency by its abbreviation, a
person by name. New ones are created as shared records and listed in the report.

All or nothing: a briefing that cannot be read, or that was imported before (unless asked
to replace it), changes nothing; a dry run reports what would happen and keeps nothing.
Replacing an earlier import rewrites that issue in place (its address and history stay;
a live issue gets pending changes) and deletes the documents, agencies and people that
only the old content used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.agencies.models import Agency
from apps.people.models import Person

from .. import content as issue_content
from .. import editing
from ..integrity import title_key, unused
from ..models import (
    Credit,
    DocumentAgency,
    Issue,
    NoteworthyAgency,
    NoteworthyItem,
    PolicyDocument,
    Story,
    Via,
    unique_slug,
)
from .parse import (
    NotABriefing,
    ParsedBriefing,
    ParsedDocument,
    Unplaced,
    decode,
    parse_briefing,
)

MAX_BYTES = 2 * 1024 * 1024


class DuplicateBriefing(Exception):
    """The briefing was imported before; str() says as which issue."""


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@dataclass
class ImportReport:
    issue: Issue
    dry_run: bool = False
    replaced: bool = False
    pending: bool = False
    stories: int = 0
    items: int = 0
    credits: int = 0
    new_agencies: list[str] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)
    matched_documents: list[str] = field(default_factory=list)
    new_documents: int = 0
    deleted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    guesses: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, in lines an editor reads: a summary first."""
        verb = "Replaced" if self.replaced else "Imported"
        if self.dry_run:
            verb = "Would replace" if self.replaced else "Would import"
        state = "as pending changes of the live issue" if self.pending else "as a draft"
        counts = ", ".join([
            _count(self.stories, "story", "stories"),
            _count(self.items, "noteworthy item", "noteworthy items"),
            _count(self.credits, "credit", "credits"),
        ])  # fmt: skip
        out = [f"{verb} “{self.issue.title}” {state}: {counts}."]
        if self.matched_documents:
            out.append(
                "Policy documents already in the archive, linked: "
                + "; ".join(self.matched_documents)
                + "."
            )
        if self.new_documents:
            out.append(f"New policy documents: {self.new_documents}.")
        if self.new_agencies:
            out.append(f"New agencies (check their names): {', '.join(self.new_agencies)}.")
        if self.new_people:
            out.append(f"New people: {', '.join(self.new_people)}.")
        if self.deleted:
            out.append(f"No longer used, so deleted: {', '.join(self.deleted)}.")
        out += self.notes
        out += self._guess_lines()
        out += [f"Line {u.line} not placed: {u.text}" for u in self.unplaced]
        return out

    def _guess_lines(self) -> list[str]:
        """One line per guess, or one per kind of guess made many times."""
        kinds: dict[str, list] = {}
        for guess in self.guesses:
            kinds.setdefault(guess.what, []).append(guess)
        out = []
        for what, guesses in kinds.items():
            if len(guesses) > 3:
                lines = [guess.line for guess in guesses]
                out.append(f"Lines {min(lines)}–{max(lines)} ({len(lines)} in all): {what}.")
            else:
                out += [f"Line {g.line}: {g.what}: {g.text}" for g in guesses]
        return out


def agency_key(name: str) -> str:
    """“Shanghai's Municipal Government” and “Shanghai Municipal Government” are one."""
    return re.sub(r"[^0-9a-z\u3400-\u9fff]", "", re.sub(r"['’]s\b", "", name.lower()))


def person_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class IncompleteBriefing(Exception):
    """A briefing that looks cut off: not saved unless the editor says it is meant so."""

    def __init__(self, name: str, reasons: list[str]):
        self.reasons = reasons
        super().__init__(
            f"{name} looks incomplete: {'; '.join(reasons)}. Nothing was saved: check that "
            "the whole text is there, or import it anyway if it is meant to be so."
        )


def missing_parts(parsed: ParsedBriefing) -> list[str]:
    """Why a briefing looks cut off, if it does: every issue has five stories, each with a
    comment, then a Noteworthy section. (Credits are not printed in every edition.)"""
    reasons = []
    if len(parsed.stories) < 5:
        reasons.append(f"only {len(parsed.stories)} of the Top 5 stories were found")
    elif not parsed.stories[-1].comment.strip():
        reasons.append("the fifth story has no comment")
    if not parsed.items:
        reasons.append("no Noteworthy items were found")
    return reasons


def import_briefing(
    data: bytes,
    *,
    name: str,
    replace: bool = False,
    user=None,
    dry_run: bool = False,
    incomplete: bool = False,
) -> ImportReport:
    """Read a briefing file and save it as a draft issue (or, with `dry_run`, only say what
    would be saved); raise NotABriefing, DuplicateBriefing, IncompleteBriefing (unless
    `incomplete` says a briefing that looks cut off is meant so), PermissionDenied or
    ValidationError with a clear message, having changed nothing. `user` None is the
    system (a management command)."""
    if len(data) > MAX_BYTES:
        raise NotABriefing(f"{name} is larger than 2 MB; a briefing is far smaller.")
    parsed = parse_briefing(decode(data))
    with transaction.atomic():
        report = _Importer(parsed, name=name, replace=replace, user=user).run()
        if not (dry_run or incomplete) and (reasons := missing_parts(parsed)):
            raise IncompleteBriefing(name, reasons)  # rolls the import back
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return report


def _previous_import(parsed: ParsedBriefing):
    headlines = [story.headline[:300] for story in parsed.stories]
    candidates = Issue.objects.filter(stories__position=1, stories__headline=headlines[0])
    for issue in candidates.distinct():
        if list(issue.stories.values_list("headline", flat=True)) == headlines:
            return issue
    if parsed.title:
        return Issue.objects.filter(title=parsed.title[:255]).first()
    return None


class _Importer:
    def __init__(self, parsed: ParsedBriefing, *, name: str, replace: bool, user):
        self.parsed = parsed
        self.name = name
        self.replace = replace
        self.user = user
        self.agencies = {agency_key(a.abbreviation): a for a in Agency.objects.all()}
        self.people = {person_key(p.name): p for p in Person.objects.all()}

    def run(self) -> ImportReport:
        parsed = self.parsed
        previous = _previous_import(parsed)
        if previous is not None and not self.replace:
            raise DuplicateBriefing(
                f"{self.name} was imported before, as “{previous.title}” ({previous.state}). "
                "Ask to replace it to import it again."
            )
        today = timezone.localdate()
        title = (parsed.title or "Imported briefing")[:255]  # the issue's name adds the month
        date = parsed.publication_date or today
        notes = [f"Imported from {self.name} on {today:%Y-%m-%d}."]
        if parsed.date_estimated:
            notes.append("Publication date estimated: not printed in the briefing.")
        fields = {
            "title": title,
            "publication_date": date,
            "hero_caption": parsed.hero_caption[:300],
            "editorial_note": "\n".join(notes),
        }
        before = issue_content.snapshot(previous) if previous is not None else None
        with editing.change(previous, user=self.user, via=Via.IMPORTER) as change:
            if previous is None:
                issue = Issue(
                    slug=unique_slug(Issue.objects.all(), f"{date:%Y-%m}-{title}", max_length=104),
                    **fields,
                )
                issue.save()
                change.attach(issue)
            else:
                issue = change.issue
                for name, value in fields.items():
                    setattr(issue, name, value)
                issue.save()
                issue.stories.all().delete()
                issue.noteworthy_items.all().delete()
                issue.credits.all().delete()
            self.report = ImportReport(
                issue=issue, replaced=previous is not None, pending=change.pending
            )
            self.report.unplaced = list(parsed.unplaced)
            self.report.guesses = list(getattr(parsed, "guesses", []))
            self._notes()
            self._stories(issue)
            self._items(issue)
            self._credits(issue)
            change.summary = f"Imported from {self.name}."
        if before is not None:
            self._delete_orphans(before)
        return self.report

    def _notes(self):
        parsed, notes = self.parsed, self.report.notes
        if not parsed.title:
            notes.append("No topic line is printed: give the issue one.")
        if parsed.date_estimated:
            notes.append("The publication date is estimated: check it.")
        if reasons := missing_parts(parsed):
            notes.append(
                f"This briefing looks incomplete: {'; '.join(reasons)}. Check that the whole "
                "text is there."
            )

    # Shared records ----------------------------------------------------------------------

    def _create(self, record):
        with editing.change_record(record, user=self.user, via=Via.IMPORTER) as session:
            record.save()
            session.record = record
        return record

    def agency_for(self, printed: str) -> Agency:
        key = agency_key(printed)
        if key not in self.agencies:
            self.agencies[key] = self._create(
                Agency(
                    abbreviation=printed[:80],
                    slug=unique_slug(Agency.objects.all(), printed, max_length=80),
                    kind=Agency.Kind.OTHER,
                )
            )
            self.report.new_agencies.append(printed)
        return self.agencies[key]

    def document_for(self, parsed: ParsedDocument) -> PolicyDocument:
        existing = matching_document(parsed)
        if existing is not None:
            self.report.matched_documents.append(str(existing))
            return existing
        document = PolicyDocument(
            label=parsed.label if parsed.label in PolicyDocument.Label.values else "",
            title_en=parsed.title_en,
            title_zh=parsed.title_zh,
            url=parsed.url[:500],
            date=parsed.date,
            issuer_note=parsed.issuer_note[:200],
        )
        with editing.change_record(document, user=self.user, via=Via.IMPORTER) as session:
            document.save()
            issuers = []
            for printed in parsed.agencies:
                agency = self.agency_for(printed)
                if agency not in issuers:
                    issuers.append(agency)
            DocumentAgency.objects.bulk_create(
                DocumentAgency(document=document, agency=agency, position=n)
                for n, agency in enumerate(issuers, start=1)
            )
            session.record = document
        self.report.new_documents += 1
        return document

    # The issue's own rows ----------------------------------------------------------------

    def _stories(self, issue):
        seen = set()
        for story in self.parsed.stories:
            if story.position in seen or not 1 <= story.position <= 5:
                self.report.unplaced.append(
                    Unplaced(story.line, f"{story.position}. {story.headline}")
                )
                continue
            seen.add(story.position)
            document = None
            parsed = story.document
            if parsed and (parsed.title_en or parsed.title_zh):
                document = self.document_for(parsed)
            else:
                self.report.notes.append(f"Story {story.position} has no policy document title.")
            Story.objects.create(
                issue=issue,
                position=story.position,
                headline=story.headline[:300],
                glance_intro=story.glance_intro,
                glance_bullets="\n".join(story.glance_bullets),
                glance_outro=story.glance_outro,
                comment=story.comment,
                box_title=story.box_title[:300],
                box_body=story.box_body,
                document=document,
            )
            self.report.stories += 1

    def _items(self, issue):
        positions = {}
        for item in self.parsed.items:
            positions[item.section] = positions.get(item.section, 0) + 1
            saved = NoteworthyItem.objects.create(
                issue=issue,
                section=item.section,
                date=item.date,
                text=item.text,
                position=positions[item.section],
            )
            saved.replace_sources(item.sources, fresh=True)
            cited = {c for s in item.sources for c in cited_agencies(s.label, self.agencies)}
            NoteworthyAgency.objects.bulk_create(
                NoteworthyAgency(item=saved, agency=agency) for agency in cited
            )
            self.report.items += 1

    def _credits(self, issue):
        counts = {}
        for credit in self.parsed.credits:
            key = person_key(credit.name)
            person = self.people.get(key)
            if person is None:
                person = self._create(
                    Person(
                        name=credit.name[:200],
                        slug=unique_slug(Person.objects.all(), credit.name, max_length=200),
                        role_title=credit.role_title[:200],
                    )
                )
                self.people[key] = person
                self.report.new_people.append(credit.name)
            counts[credit.role] = counts.get(credit.role, 0) + 1
            _, created = Credit.objects.get_or_create(
                issue=issue,
                person=person,
                role=credit.role,
                defaults={"role_title": credit.role_title[:200], "position": counts[credit.role]},
            )
            self.report.credits += created

    def _delete_orphans(self, before):
        """Documents, agencies and people only the replaced content used."""
        records = unused(
            {
                PolicyDocument: issue_content.document_ids(before),
                Agency: issue_content.agency_ids(before),
                Person: issue_content.person_ids(before),
            }
        )
        # In this order, each query run when its turn comes: deleting documents frees the
        # agencies that only issued them.
        for model in (PolicyDocument, Agency, Person):
            for record in records[model]:
                self.report.deleted.append(record.abbreviation if model is Agency else str(record))
                editing.delete_record(record, user=self.user, via=Via.IMPORTER)


def matching_document(parsed: ParsedDocument) -> PolicyDocument | None:
    """A document the archive holds with the same date and the same English title, Chinese
    title or address."""
    en, zh, url = title_key(parsed.title_en), title_key(parsed.title_zh), parsed.url.strip()
    for document in PolicyDocument.objects.filter(date=parsed.date).order_by("id"):
        if (
            (url and document.url == url)
            or (en and title_key(document.title_en) == en)
            or (zh and title_key(document.title_zh) == zh)
        ):
            return document
    return None


def cited_agencies(label: str, agencies: dict) -> list:
    """Agencies whose own notice or article a source label names: “MIIT notice” → MIIT,
    “MOHRSS and MOF notice” → MOHRSS and MOF. Only agencies that exist are cited."""
    found = []
    for part in re.split(r"\s+and\s+|,\s*", label):
        words = part.split()
        for length in range(len(words), 0, -1):
            agency = agencies.get(agency_key(" ".join(words[:length])))
            if agency is not None:
                found.append(agency)
                break
    return found
