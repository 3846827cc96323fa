"""The briefing importer end to end: files in, draft issues out, checked against the seed
fixture field by field."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.agencies.models import Agency
from apps.briefings.importer.parse import NotABriefing
from apps.briefings.importer.save import (
    DuplicateBriefing,
    IncompleteBriefing,
    agency_key,
    cited_agencies,
    import_briefing,
)
from apps.briefings.models import Issue, PolicyDocument
from apps.people.models import Person
from tests.factories import AgencyFactory, PolicyDocumentFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"
FIXTURE = json.loads((ROOT / "fixtures" / "seed.json").read_text())
# The editorial corrections the fixture documents and no importer can know.
COMPOSED_TITLES = {"003_58a481ad6d8988ec.txt", "004_2490c8c9a370719f.txt"}


def fixture_issue(name):
    """The fixture's issue for a seed file, as plain dicts."""
    objects = {(o["model"], o["pk"]): o["fields"] for o in FIXTURE}
    by_model = {}
    for (model, pk), fields in objects.items():
        by_model.setdefault(model, []).append((pk, fields))
    issue_pk, issue = next(
        (pk, f) for pk, f in by_model["briefings.issue"] if name in f["editorial_note"]
    )
    agencies = {pk: f["abbreviation"] for pk, f in by_model["agencies.agency"]}
    people = {pk: f["name"] for pk, f in by_model["people.person"]}
    documents = dict(by_model["briefings.policydocument"])
    issuers = sorted(
        (f for _, f in by_model["briefings.documentagency"]), key=lambda f: f["position"]
    )
    stories = sorted(
        (f for _, f in by_model["briefings.story"] if f["issue"] == issue_pk),
        key=lambda f: f["position"],
    )
    for story in stories:
        story["doc"] = documents[story["document"]]
        story["agencies"] = [
            agencies[i["agency"]] for i in issuers if i["document"] == story["document"]
        ]
    items = sorted(
        ((pk, f) for pk, f in by_model["briefings.noteworthyitem"] if f["issue"] == issue_pk),
        key=lambda pair: (pair[1]["section"], pair[1]["position"]),
    )
    sources = by_model["briefings.sourcelink"]
    item_sources = {
        pk: [(f["label"], f["language"]) for _, f in sorted(
            ((p, s) for p, s in sources if s["item"] == pk), key=lambda x: x[1]["position"])]
        for pk, _ in items
    }  # fmt: skip
    credits = sorted(
        (f for _, f in by_model["briefings.credit"] if f["issue"] == issue_pk),
        key=lambda f: (f["role"], f["position"]),
    )
    return {
        "issue": issue,
        "stories": stories,
        "items": [(f, item_sources[pk]) for pk, f in items],
        "credits": [(c["role"], people[c["person"]], c["role_title"]) for c in credits],
    }


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_importer_and_seed_fixture_agree(name):
    report = import_briefing((SEEDS / name).read_bytes(), name=name)
    issue, expected = report.issue, fixture_issue(name)

    assert issue.status == Issue.Status.DRAFT
    assert issue.publication_date.isoformat() == expected["issue"]["publication_date"]
    if name not in COMPOSED_TITLES:
        assert issue.title == expected["issue"]["title"]
    assert issue.hero_caption == expected["issue"]["hero_caption"]

    stories = list(issue.stories.select_related("document"))
    assert len(stories) == len(expected["stories"]) == 5
    for story, want in zip(stories, expected["stories"], strict=True):
        for field in ["position", "headline", "glance_intro", "glance_bullets", "glance_outro",
                      "comment", "box_title", "box_body"]:  # fmt: skip
            assert getattr(story, field) == want[field], (story.position, field)
        document, want_document = story.document, want["doc"]
        for field in ["label", "title_en", "title_zh", "url", "issuer_note"]:
            value, wanted = getattr(document, field), want_document[field]
            if field == "title_zh" and wanted.startswith("《") and not value.startswith("《"):
                wanted = wanted[1:]  # the fixture restored an opening bracket lost in print
            assert value == wanted, (story.position, field)
        assert document.date.isoformat() == want_document["date"]
        printed = [i.agency.abbreviation for i in document.issuers.select_related("agency")]
        assert [agency_key(a) for a in printed] == [agency_key(a) for a in want["agencies"]]

    items = list(issue.noteworthy_items.prefetch_related("sources"))
    assert len(items) == len(expected["items"])
    for item, (want, want_sources) in zip(items, expected["items"], strict=True):
        assert (item.section, item.date.isoformat(), item.text) == (
            want["section"], want["date"], want["text"])  # fmt: skip
        assert [(s.label, s.language) for s in item.sources.all()] == want_sources

    credits = [
        (c.role, c.person.name, c.role_title)
        for c in issue.credits.select_related("person").order_by("role", "position")
    ]
    assert credits == expected["credits"]


def test_agencies_are_matched_by_abbreviation_and_new_ones_listed():
    miit = AgencyFactory(abbreviation="MIIT", slug="miit")
    state_council = AgencyFactory(abbreviation="state council", slug="state-council")
    report = import_briefing((SEEDS / "002_a14091ac69cc8d82.txt").read_bytes(), name="002")
    story = report.issue.stories.get(position=5)
    assert [i.agency for i in story.document.issuers.all()] == [miit]
    first = report.issue.stories.get(position=1).document
    assert [i.agency for i in first.issuers.all()][1] == state_council
    assert "MIIT" not in report.new_agencies and "CCPCC" in report.new_agencies
    assert Agency.objects.filter(abbreviation="CCPCC").count() == 1


def test_people_are_matched_by_name_and_credited_with_their_printed_titles():
    report = import_briefing((SEEDS / "003_58a481ad6d8988ec.txt").read_bytes(), name="003")
    assert "Gregor Sebastian" in report.new_people
    report = import_briefing((SEEDS / "004_2490c8c9a370719f.txt").read_bytes(), name="004")
    assert "Gregor Sebastian" not in report.new_people
    assert Person.objects.filter(name="Gregor Sebastian").count() == 1


def test_the_same_briefing_twice_is_refused_unless_replaced():
    data = (SEEDS / "001_37bc1a9cd968a2f4.txt").read_bytes()
    first = import_briefing(data, name="001.txt").issue
    with pytest.raises(DuplicateBriefing, match="was imported before"):
        import_briefing(data, name="001.txt")
    assert Issue.objects.count() == 1
    second = import_briefing(data, name="001.txt", replace=True)
    # Replaced in place: the same issue, at the same address, with its history.
    assert second.replaced and Issue.objects.get().pk == second.issue.pk == first.pk
    # The same text again changes nothing, so nothing new is recorded.
    assert [r.via for r in first.revisions.all()] == ["importer"]


def test_replacing_a_live_issue_gives_it_pending_changes():
    call_command("loaddata", "seed", verbosity=0)
    issue = Issue.objects.get(slug__startswith="2023-11")
    live_headline = issue.stories.get(position=1).headline
    text = (SEEDS / "000_562a71cf05ffeb37.txt").read_text(encoding="utf-8")
    text = text.replace(live_headline, "A corrected headline", 1)

    report = import_briefing(text.encode(), name="000.txt", replace=True)

    assert report.pending and report.issue.pk == issue.pk
    assert Issue.objects.count() == 5
    issue.refresh_from_db()
    assert issue.stories.get(position=1).headline == live_headline  # readers see it unchanged
    assert issue.pending_revision.content["stories"][0]["headline"] == "A corrected headline"


def test_noteworthy_items_cite_the_agencies_of_their_sources():
    report = import_briefing((SEEDS / "003_58a481ad6d8988ec.txt").read_bytes(), name="003")
    item = report.issue.noteworthy_items.get(text__startswith="MIIT issues annual Internet")
    assert sorted(a.abbreviation for a in item.agencies.all()) == ["MIIT", "Xinhua"]


def test_cited_agencies_reads_joint_notices():
    agencies = {agency_key(a.abbreviation): a for a in [
        AgencyFactory(abbreviation="MOHRSS"), AgencyFactory(abbreviation="MOF"),
        AgencyFactory(abbreviation="State Council")]}  # fmt: skip
    names = [a.abbreviation for a in cited_agencies("MOHRSS and MOF notice", agencies)]
    assert names == ["MOHRSS", "MOF"]
    assert [a.abbreviation for a in cited_agencies("State Council notice", agencies)] == [
        "State Council"
    ]
    assert cited_agencies("Reuters article", agencies) == []


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, "binary"),
        (b"x" * (10 * 1024 * 1024), "larger than 2 MB"),
        ("Café crème - naïve résumé\n".encode("latin-1") * 50, ""),
        (b"Just some notes\nabout nothing in particular\n", ""),
    ],
    ids=["empty", "binary", "10 MB of noise", "latin-1", "no Top 5"],
)
def test_files_that_are_not_briefings_are_refused_and_change_nothing(data, message):
    with pytest.raises(NotABriefing) as error:
        import_briefing(data, name="bad.txt")
    assert message.lower() in str(error.value).lower()
    assert not Issue.objects.exists() and not Agency.objects.exists()


def test_command_imports_several_files_and_reports(capsys):
    files = [str(SEEDS / "002_a14091ac69cc8d82.txt"), str(SEEDS / "000_562a71cf05ffeb37.txt")]
    call_command("import_briefing", *files)
    out = capsys.readouterr().out
    assert "Imported “Carbon neutrality plan + Standard setting" in out
    assert "as a draft: 5 stories, 13 noteworthy items" in out
    assert Issue.objects.filter(status="draft").count() == 2


def test_command_reports_a_bad_file_and_fails(tmp_path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    good = SEEDS / "001_37bc1a9cd968a2f4.txt"
    with pytest.raises(CommandError, match="1 of 2 files were not imported"):
        call_command("import_briefing", str(bad), str(good))
    assert "empty.txt:" in capsys.readouterr().err
    assert Issue.objects.count() == 1


def test_admin_page_imports_an_upload_as_a_draft(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("briefing.txt", (SEEDS / "004_2490c8c9a370719f.txt").read_bytes())
    response = editor_client.post(
        reverse("admin:briefings_issue_import_briefing"), {"file": upload}, follow=True
    )
    html = response.content.decode()
    issue = Issue.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:briefings_issue_change", args=[issue.pk]
    )
    assert "as a draft: 5 stories, 14 noteworthy items" in html
    assert "No topic line is printed" in html
    assert str(issue) == "Imported briefing (October 2022)"


def test_admin_page_imports_pasted_text(editor_client):
    text = (SEEDS / "001_37bc1a9cd968a2f4.txt").read_text()
    editor_client.post(reverse("admin:briefings_issue_import_briefing"), {"text": text})
    assert Issue.objects.get().title == "ICT infrastructure + IPR enforcement + Battery innovation"


@pytest.mark.parametrize(
    "data",
    [{}, {"text": "hello"}],
    ids=["nothing", "not a briefing"],
)
def test_admin_page_explains_what_is_wrong(editor_client, data):
    response = editor_client.post(reverse("admin:briefings_issue_import_briefing"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Issue.objects.exists()


# One document, many stories; nothing left behind ---------------------------------------------

SEED_001 = SEEDS / "001_37bc1a9cd968a2f4.txt"


def a_later_briefing() -> bytes:
    """A briefing of its own (other topic line and headlines) discussing seed 001's
    documents again."""
    text = SEED_001.read_text(encoding="utf-8")
    text = text.replace(
        "ICT infrastructure + IPR enforcement + Battery innovation", "A later issue"
    )
    text = text.replace("1. ", "1. A follow-up: ", 1)
    for n in range(2, 6):
        text = text.replace(f"\n{n}. ", f"\n{n}. Later ", 1)
    return text.encode()


def test_two_briefings_discussing_one_document_link_both_stories_to_it():
    first = import_briefing(SEED_001.read_bytes(), name="001.txt")
    documents = PolicyDocument.objects.count()
    shared = first.issue.stories.get(position=2).document

    second = import_briefing(a_later_briefing(), name="later.txt")

    assert second.issue.pk != first.issue.pk
    assert PolicyDocument.objects.count() == documents  # every document matched
    assert second.issue.stories.get(position=2).document == shared
    assert shared.stories.count() == 2
    assert any(shared.title_en[:30] in line for line in second.lines())


def test_documents_match_on_title_without_case_spaces_or_punctuation():
    from apps.briefings.importer.parse import ParsedDocument
    from apps.briefings.importer.save import matching_document

    document = PolicyDocumentFactory(
        title_en="Three-Year Action Plan for New Infrastructure", title_zh="", url=""
    )
    parsed = ParsedDocument(
        label="Policy name",
        title_en="three year action plan for new  infrastructure.",
        title_zh="",
        url="",
        agencies=[],
        issuer_note="",
        date=document.date,
    )
    assert matching_document(parsed) == document
    parsed.date = None
    assert matching_document(parsed) is None  # another date: another document


def test_replacing_leaves_no_orphan_documents_agencies_or_people():
    data = (SEEDS / "003_58a481ad6d8988ec.txt").read_bytes()
    import_briefing(data, name="003.txt")
    assert Person.objects.filter(name="Tashi Götzmann").exists()
    # The corrected text discusses another document, issued by another agency, in story 5,
    # and credits no one "with support from".
    text = (
        data.decode("utf-8")
        .replace("Desalination Development Action Plan", "Seawater Use Plan")
        .replace("海水淡化利用发展行动计划", "海水利用计划")
        .replace("Issuing bodies: NDRC, MNR", "Issuing bodies: NDRC, MEE")
        .replace("With support from\n\nTashi Götzmann, Intern, MERICS\n\n", "")
    )
    corrected = import_briefing(text.encode(), name="003.txt", replace=True)

    assert corrected.replaced
    assert not PolicyDocument.objects.filter(stories=None).exists()
    assert not Agency.objects.filter(issued=None, citations=None).exists()
    assert not Person.objects.filter(credits=None).exists()
    deleted = ", ".join(corrected.deleted)
    assert "Desalination Development Action Plan" in deleted
    assert "MNR" in deleted and "Tashi Götzmann" in deleted


def test_a_dry_run_reports_and_keeps_nothing():
    report = import_briefing(SEED_001.read_bytes(), name="001.txt", dry_run=True)
    assert report.lines()[0].startswith("Would import “ICT infrastructure")
    assert not Issue.objects.exists() and not PolicyDocument.objects.exists()
    assert not Agency.objects.exists() and not Person.objects.exists()


def test_the_command_has_a_dry_run(capsys):
    call_command("import_briefing", "--dry-run", str(SEED_001))
    assert "Would import" in capsys.readouterr().out
    assert not Issue.objects.exists()


def test_admin_previews_then_imports_without_a_second_upload(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:briefings_issue_import_briefing")
    upload = SimpleUploadedFile("001.txt", SEED_001.read_bytes())
    preview = editor_client.post(url, {"file": upload, "_preview": "Preview"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Would import “ICT infrastructure" in html and "Nothing is saved yet" in html
    assert not Issue.objects.exists()
    form = preview.context["form"]
    assert form["name"].value() == "001.txt" and "MERICS" in form["text"].value()

    editor_client.post(url, {"text": form["text"].value(), "name": form["name"].value()})
    issue = Issue.objects.get()
    assert "Imported from 001.txt" in issue.editorial_note
    assert issue.revisions.get().user is not None


# Markdown and saved web pages, end to end ----------------------------------------------------

BRIEFINGS = ROOT / "tests" / "data" / "briefings"


def test_a_markdown_briefing_is_saved_with_its_source_addresses():
    report = import_briefing((BRIEFINGS / "2024-04_low_altitude.md").read_bytes(), name="a.md")
    issue = report.issue
    assert issue.title.startswith("Low-altitude economy + Equipment renewal")
    assert issue.stories.count() == 5
    item = issue.noteworthy_items.get(text__startswith="The National Development and Reform")
    assert [(s.label, s.language, s.url) for s in item.sources.all()] == [
        ("NDRC notice", "CN", "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240304_1364512.html"),
        ("Reuters article", "EN",
         "https://www.reuters.com/business/energy/china-sets-pumped-hydro-prices-2024-03-04/"),
    ]  # fmt: skip
    assert "(NDRC notice" not in item.text
    lost = issue.noteworthy_items.get(text__startswith="The Cyberspace Administration")
    assert [s.url for s in lost.sources.all()] == [
        "",  # the export lost this address: none is invented
        "https://www.scmp.com/tech/policy/article/3256789/china-eases-data-export-rules",
    ]
    document = issue.stories.get(position=4).document
    assert document.title_en == "Shanghai to build AI hub"
    assert document.title_zh == "上海打造人工智能高地"
    assert [c.role_title for c in issue.credits.filter(person__name="Marta Keller")] == [
        "Senior Analyst"
    ]


def test_a_saved_web_page_is_saved_and_what_could_not_be_placed_is_reported():
    report = import_briefing((BRIEFINGS / "2024-05_robots.html").read_bytes(), name="p.html")
    issue = report.issue
    assert issue.title.startswith("Industrial robots + Shipbuilding")
    assert issue.stories.count() == 5
    document = issue.stories.get(position=1).document
    assert document.url == "https://www.miit.gov.cn/zwgk/zcwj/wjfb/yj/art/2024/art_0b7e.html"
    assert document.title_zh == "关于加快推动工业机器人应用的指导意见"
    lines = report.lines()
    assert "Line 113 not placed: Read all earlier issues of this briefing" in "\n".join(lines)
    for chrome in ["cookie", "Newsletter", "LinkedIn", "Imprint"]:
        assert chrome.lower() not in "\n".join(lines).lower()
        assert not issue.noteworthy_items.filter(text__icontains=chrome).exists()


# A briefing cut off -------------------------------------------------------------------------


def cut_off() -> bytes:
    """Seed 001 as if the text stopped after its second story."""
    text = SEED_001.read_text(encoding="utf-8")
    return text[: text.index("\n3. MIIT pushes battery makers")].encode()


def test_a_briefing_cut_off_is_refused_and_changes_nothing():
    with pytest.raises(IncompleteBriefing) as refused:
        import_briefing(cut_off(), name="001-cut.txt")
    assert "only 2 of the Top 5 stories were found" in str(refused.value)
    assert "no Noteworthy items were found" in str(refused.value)
    assert not Issue.objects.exists() and not PolicyDocument.objects.exists()
    assert not Agency.objects.exists() and not Person.objects.exists()


def test_a_briefing_cut_off_is_imported_when_the_editor_says_so_and_the_report_says_why():
    preview = import_briefing(cut_off(), name="001-cut.txt", dry_run=True)
    assert any("looks incomplete: only 2 of the Top 5" in line for line in preview.lines())

    report = import_briefing(cut_off(), name="001-cut.txt", incomplete=True)
    assert Issue.objects.get().stories.count() == 2
    assert any("looks incomplete" in line for line in report.lines())


def test_the_command_refuses_a_briefing_cut_off_unless_told(tmp_path, capsys):
    path = tmp_path / "cut.txt"
    path.write_bytes(cut_off())
    with pytest.raises(CommandError):
        call_command("import_briefing", str(path))
    assert "looks incomplete" in capsys.readouterr().err
    assert not Issue.objects.exists()
    call_command("import_briefing", "--incomplete", str(path))
    assert Issue.objects.get().stories.count() == 2


def test_the_admin_shows_a_briefing_cut_off_before_saving_it(editor_client):
    url = reverse("admin:briefings_issue_import_briefing")
    response = editor_client.post(url, {"text": cut_off().decode(), "name": "cut.txt"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not imported: this briefing looks incomplete" in html
    assert "only 2 of the Top 5 stories were found" in html
    assert 'name="_incomplete" value="Import anyway"' in html
    assert "press Import anyway to save it" in html
    assert not Issue.objects.exists()

    form = response.context["form"]
    editor_client.post(
        url, {"text": form["text"].value(), "name": form["name"].value(), "_incomplete": "1"}
    )
    assert Issue.objects.get().stories.count() == 2


def test_the_report_counts_in_words_that_agree_with_the_numbers():
    from apps.briefings.importer.save import ImportReport

    report = ImportReport(issue=Issue(title="A"), stories=1, items=1, credits=1)
    assert report.lines()[0] == "Imported “A” as a draft: 1 story, 1 noteworthy item, 1 credit."
    report = ImportReport(issue=Issue(title="A"), stories=5, items=0, credits=2)
    assert report.lines()[0].endswith(": 5 stories, 0 noteworthy items, 2 credits.")
