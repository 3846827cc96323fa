"""Turn a parsed briefing into a draft issue, with its stories, documents, noteworthy items
and credits, matching agencies and people that exist and creating the ones that don't.

All or nothing: a briefing that cannot be read, or that was imported before (unless asked
to replace it), changes nothing.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.agencies.models import Agency
from apps.people.models import Person

from ..models import (
    Credit,
    DocumentAgency,
    Issue,
    NoteworthyItem,
    PolicyDocument,
    Story,
    unique_slug,
)
from .parse import NotABriefing, ParsedBriefing, Unplaced, decode, parse_briefing

MAX_BYTES = 2 * 1024 * 1024


class DuplicateBriefing(Exception):
    """The briefing was imported before; str() says as which issue."""


@dataclass
class ImportReport:
    issue: Issue
    replaced: bool = False
    new_agencies: list[str] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, in lines an editor reads."""
        issue = self.issue
        out = [
            f"{'Replaced' if self.replaced else 'Imported'} “{issue.title}” as a draft: "
            f"{issue.stories.count()} stories, {issue.noteworthy_items.count()} noteworthy "
            f"items, {issue.credits.count()} credits."
        ]
        if self.new_agencies:
            out.append(f"New agencies (check their names): {', '.join(self.new_agencies)}.")
        if self.new_people:
            out.append(f"New people: {', '.join(self.new_people)}.")
        out += self.notes
        out += [f"Line {u.line} not placed: {u.text}" for u in self.unplaced]
        return out


def agency_key(name: str) -> str:
    """“Shanghai's Municipal Government” and “Shanghai Municipal Government” are one."""
    return re.sub(r"[^0-9a-z\u3400-\u9fff]", "", re.sub(r"['’]s\b", "", name.lower()))


def import_briefing(data: bytes, *, name: str, replace: bool = False) -> ImportReport:
    """Read a briefing file and save it as a draft issue; raise NotABriefing or
    DuplicateBriefing with a clear message, having changed nothing."""
    if len(data) > MAX_BYTES:
        raise NotABriefing(f"{name} is larger than 2 MB; a briefing is far smaller.")
    parsed = parse_briefing(decode(data))
    with transaction.atomic():
        return _save(parsed, name=name, replace=replace)


def _previous_import(parsed: ParsedBriefing):
    headlines = [story.headline for story in parsed.stories]
    candidates = Issue.objects.filter(stories__position=1, stories__headline=headlines[0])
    for issue in candidates.distinct():
        if list(issue.stories.values_list("headline", flat=True)) == headlines:
            return issue
    if parsed.title:
        return Issue.objects.filter(title=parsed.title).first()
    return None


def _save(parsed: ParsedBriefing, *, name: str, replace: bool) -> ImportReport:
    previous = _previous_import(parsed)
    if previous is not None:
        if not replace:
            raise DuplicateBriefing(
                f"{name} was imported before, as “{previous.title}” ({previous.state}). "
                "Ask to replace it to import it again."
            )
        if previous.status == Issue.Status.PUBLISHED:
            raise DuplicateBriefing(
                f"{name} was imported before, as “{previous.title}”, which is published; "
                "unpublish it before replacing it."
            )
        previous.delete()

    today = timezone.localdate()
    title = parsed.title or "Imported briefing"  # the issue's name adds the month
    notes = [f"Imported from {name} on {today:%Y-%m-%d}."]
    report_notes = []
    if not parsed.title:
        report_notes.append("No topic line is printed: give the issue one.")
    if parsed.date_estimated:
        notes.append("Publication date estimated: not printed in the briefing.")
        report_notes.append("The publication date is estimated: check it.")
    date = parsed.publication_date or today
    issue = Issue.objects.create(
        title=title[:255],
        slug=unique_slug(Issue.objects.all(), f"{date:%Y-%m}-{title}", max_length=104),
        publication_date=date,
        hero_caption=parsed.hero_caption[:300],
        editorial_note="\n".join(notes),
    )
    report = ImportReport(issue=issue, replaced=previous is not None, notes=report_notes)
    report.unplaced = list(parsed.unplaced)

    agencies = {agency_key(a.abbreviation): a for a in Agency.objects.all()}

    def agency_for(printed):
        key = agency_key(printed)
        if key not in agencies:
            agencies[key] = Agency.objects.create(
                abbreviation=printed[:80],
                slug=unique_slug(Agency.objects.all(), printed, max_length=80),
                kind=Agency.Kind.OTHER,
            )
            report.new_agencies.append(printed)
        return agencies[key]

    seen_positions = set()
    for story in parsed.stories:
        if story.position in seen_positions or not 1 <= story.position <= 5:
            report.unplaced.append(Unplaced(story.line, f"{story.position}. {story.headline}"))
            continue
        seen_positions.add(story.position)
        document = None
        parsed_document = story.document
        if parsed_document and (parsed_document.title_en or parsed_document.title_zh):
            document = PolicyDocument.objects.create(
                label=parsed_document.label,
                title_en=parsed_document.title_en,
                title_zh=parsed_document.title_zh,
                url=parsed_document.url[:500],
                date=parsed_document.date,
                issuer_note=parsed_document.issuer_note[:200],
            )
            issuers = []
            for printed in parsed_document.agencies:
                agency = agency_for(printed)
                if agency not in issuers:
                    issuers.append(agency)
            DocumentAgency.objects.bulk_create(
                DocumentAgency(document=document, agency=agency, position=n)
                for n, agency in enumerate(issuers, start=1)
            )
        else:
            report.notes.append(f"Story {story.position} has no policy document title.")
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

    positions = {}
    for item in parsed.items:
        positions[item.section] = positions.get(item.section, 0) + 1
        saved = NoteworthyItem.objects.create(
            issue=issue,
            section=item.section,
            date=item.date,
            text=item.text,
            position=positions[item.section],
        )
        saved.replace_sources(item.sources, fresh=True)
        cited = {c for s in item.sources for c in cited_agencies(s.label, agencies)}
        saved.agencies.set(cited)

    people = {person.name.lower(): person for person in Person.objects.all()}
    counts = {}
    for credit in parsed.credits:
        person = people.get(credit.name.lower())
        if person is None:
            person = Person.objects.create(
                name=credit.name[:200],
                slug=unique_slug(Person.objects.all(), credit.name, max_length=200),
                role_title=credit.role_title[:200],
            )
            people[credit.name.lower()] = person
            report.new_people.append(credit.name)
        counts[credit.role] = counts.get(credit.role, 0) + 1
        Credit.objects.get_or_create(
            issue=issue,
            person=person,
            role=credit.role,
            defaults={"role_title": credit.role_title[:200], "position": counts[credit.role]},
        )
    return report


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
