"""Briefings exported as Markdown or saved from the browser as HTML, read by the same parser
as the plain-text exports; the conversion of markup to lines; hostile markup.

No database.
"""

import dataclasses
import datetime
import random
import re
from pathlib import Path

import pytest

from apps.briefings.importer import parse as parse_module
from apps.briefings.importer.markup import (
    html_lines,
    looks_like_html,
    looks_like_markdown,
    markdown_lines,
    to_lines,
)
from apps.briefings.importer.parse import (
    FAILED,
    NotABriefing,
    ParsedBriefing,
    decode,
    parse_briefing,
)

ROOT = Path(__file__).resolve().parents[2]
BRIEFINGS = ROOT / "tests" / "data" / "briefings"
SEEDS = ROOT / "tests" / "data" / "seeds"
MARKDOWN = BRIEFINGS / "2024-04_low_altitude.md"
HTML = BRIEFINGS / "2024-05_robots.html"


def read(path: Path) -> str:
    return decode(path.read_bytes())


def line_of(text: str, needle: str) -> int:
    """1-based number of the line of ``text`` holding ``needle`` (which must be there once)."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def everything(b: ParsedBriefing) -> str:
    """Every string the parser returned, unplaced fragments and guesses included."""
    return repr(dataclasses.asdict(b))


def sources(item) -> list[tuple[str, str, str]]:
    return [(s.label, s.language, s.url) for s in item.sources]


# --------------------------------------------------------------------------- Markdown


@pytest.fixture(scope="module")
def md() -> ParsedBriefing:
    return parse_briefing(read(MARKDOWN))


def test_markdown_issue(md):
    assert md.title == (
        "Low-altitude economy + Equipment renewal + Data labelling + Shanghai AI + Rare earths"
    )
    assert (md.publication_date, md.date_estimated) == (datetime.date(2024, 4, 3), False)
    assert md.hero_caption == ""
    assert md.unplaced == []


def test_markdown_headlines_and_lines(md):
    text = read(MARKDOWN)
    assert [(s.position, s.headline) for s in md.stories] == [
        (1, "Beijing clears the runway for the low-altitude economy"),
        (2, "State Council launches large-scale equipment renewal"),  # **2. …** in bold
        (3, "Data labelling becomes an industry of its own"),
        (4, "Shanghai wants to be China's AI highland"),
        (5, "New rules tighten control over rare earths"),
    ]
    assert [s.line for s in md.stories] == [
        line_of(text, "### 1. Beijing"),
        line_of(text, "**2. State Council"),
        line_of(text, "### 3. Data"),
        line_of(text, "### 4. Shanghai"),
        line_of(text, "### 5. New rules"),
    ]


def test_markdown_story_1(md):
    s = md.stories[0]
    assert s.glance_intro == (
        "Four ministries led by the Ministry of Industry and Information Technology (MIIT) "
        "released an implementation plan for general aviation equipment, covering drones, "
        "electric vertical take-off and landing (eVTOL) aircraft and light helicopters. "
        "By 2027, the plan aims to:"
    )
    assert s.glance_bullets == [
        "Build a complete industrial system for general aviation equipment, with domestic "
        "suppliers for flight controls, batteries and electric motors",
        "Open low-altitude routes in at least ten pilot cities and standardize the management "
        "of airspace below 1,000 meters",
        "Bring eVTOL aircraft into commercial service for urban logistics, tourism and "
        "emergency rescue",
    ]
    assert s.glance_outro == (
        "The plan also requires newly certified aircraft to use the "
        "[BeiDou navigation system](https://www.beidou.gov.cn/)."
    )
    paragraphs = s.comment.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith('The "low-altitude economy" made its debut')
    assert paragraphs[1].endswith("should expect tougher competition.")
    assert paragraphs[2].startswith("Airspace remains the main bottleneck:")
    assert "**" not in s.comment
    assert (s.box_title, s.box_body) == ("", "")
    doc = s.document
    assert doc.label == "Policy name"
    assert doc.title_en == (
        "Implementation Plan for the Innovative Application of General Aviation Equipment "
        "(2024-2030)"
    )
    assert doc.title_zh == "通用航空装备创新应用实施方案（2024－2030年）"
    assert doc.url == "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2024/art_5f2a8c.html"
    assert doc.agencies == ["MIIT", "MOST", "MOF", "CAAC"]
    assert doc.issuer_note == ""
    assert doc.date == datetime.date(2024, 3, 27)


def test_markdown_story_2_article_in_full_width_parentheses(md):
    s = md.stories[1]
    assert s.glance_intro.startswith("The State Council issued an action plan")
    assert s.glance_intro.endswith("The plan sets out to:")
    assert s.glance_bullets == [
        "Replace energy-intensive machine tools, boilers and motors in key industries such as "
        "steel, petrochemicals and building materials",
        "Subsidize trade-ins of old cars and household appliances",
        "Update more than 1,000 national standards on energy consumption and emissions",
    ]
    assert s.glance_outro == ""
    assert len(s.comment.split("\n\n")) == 2
    assert s.comment.startswith("With consumption weak, Beijing is turning to an old recipe:")
    doc = s.document
    assert doc.label == "Article"
    assert doc.title_en == "State Council issues action plan for large-scale equipment renewal"
    assert doc.title_zh == "国务院印发《推动大规模设备更新和消费品以旧换新行动方案》"
    assert doc.url == "https://www.gov.cn/zhengce/content/202403/content_6939232.htm"
    assert doc.agencies == ["State Council"]
    assert doc.date == datetime.date(2024, 3, 13)


def test_markdown_story_3_box_and_linked_title(md):
    s = md.stories[2]
    assert s.glance_bullets == [
        "Set up data labelling bases in at least five provinces by 2025",
        "Draw up national standards for the quality of labelled data",
        "Support vocational training for 100,000 data labelling workers",
    ]
    assert s.box_title == "Explainer: What is data labelling?"
    assert s.box_body == (
        "Data labelling means tagging images, text or audio so that machine learning models "
        "can learn from them. Much of it is still done by hand in low-wage regions."
    )
    # A reference-style link gets its address from the definition at the end of the file.
    assert s.comment.split("\n\n")[0] == (
        "Access to high-quality training data is one of the main constraints on China's large "
        "language models, as the [14th Five-Year Plan for the digital economy]"
        "(https://www.gov.cn/zhengce/content/2022-01/12/content_5667817.htm) already "
        "acknowledged. The NDA, set up in 2023, is keen to show results."
    )
    assert len(s.comment.split("\n\n")) == 2
    doc = s.document
    assert doc.label == "Policy name"
    assert doc.title_en == (
        "Guidelines on Promoting the High-Quality Development of the Data Labelling Industry "
        "(Draft for Comments)"
    )
    assert doc.title_zh == "关于促进数据标注产业高质量发展的指导意见（征求意见稿）"
    assert doc.url == "https://www.nda.gov.cn/sjj/zwgk/tzgg/0325/20240325181207654321.html"
    assert doc.agencies == ["NDA"]
    assert doc.date == datetime.date(2024, 3, 25)


def test_markdown_stories_4_and_5(md):
    s4, s5 = md.stories[3], md.stories[4]
    assert len(s4.glance_bullets) == 3
    assert s4.glance_bullets[2] == "Create a municipal fund of CNY 10 billion for AI start-ups"
    assert len(s4.comment.split("\n\n")) == 2
    doc = s4.document
    assert (doc.label, doc.title_en, doc.title_zh) == (
        "Article",
        "Shanghai to build AI hub",
        "上海打造人工智能高地",
    )
    assert doc.url == "https://www.shanghai.gov.cn/nw12344/20240318/a1b2c3d4e5f6.html"
    assert doc.agencies == ["Shanghai Municipal Government"]
    assert doc.date == datetime.date(2024, 3, 18)

    assert s5.glance_intro.endswith("The regulations:")
    assert len(s5.glance_bullets) == 3
    assert len(s5.comment.split("\n\n")) == 2
    doc = s5.document
    # "([Link](#))": the address is lost, and none is invented.
    assert (doc.label, doc.title_en, doc.title_zh, doc.url) == (
        "Document",
        "Rare Earth Management Regulations",
        "稀土管理条例",
        "",
    )
    assert doc.agencies == ["State Council"]
    assert doc.date == datetime.date(2024, 3, 21)


def test_markdown_noteworthy(md):
    text = read(MARKDOWN)
    policy = [i for i in md.items if i.section == 1]
    corporate = [i for i in md.items if i.section == 2]
    assert [i.date for i in policy] == [
        datetime.date(2024, 2, 28),
        datetime.date(2024, 3, 4),
        datetime.date(2024, 3, 12),
        datetime.date(2024, 3, 19),
        datetime.date(2024, 3, 26),
    ]
    assert [i.date for i in corporate] == [
        datetime.date(2024, 3, 5),
        datetime.date(2024, 3, 21),
        datetime.date(2024, 3, 30),
    ]
    assert policy[1].text == (
        "The National Development and Reform Commission (NDRC) announced new price rules for "
        "electricity from pumped hydro storage"
    )
    assert policy[1].line == line_of(text, "**March 4:**")
    assert sources(policy[0]) == [
        (
            "MOFCOM notice",
            "CN",
            "https://www.mofcom.gov.cn/article/zcfb/202402/20240203475123.shtml",
        )
    ]
    assert sources(policy[1]) == [
        (
            "NDRC notice",
            "CN",
            "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240304_1364512.html",
        ),
        (
            "Reuters article",
            "EN",
            "https://www.reuters.com/business/energy/china-sets-pumped-hydro-prices-2024-03-04/",
        ),
    ]
    # The language marker may follow the link.
    assert sources(policy[2]) == [
        ("MIIT notice", "CN", "https://www.miit.gov.cn/jgsj/waj/wjfb/art/2024/art_9d81.html")
    ]
    assert sources(policy[3]) == [("SAMR notice", "CN", "")]
    assert sources(policy[4]) == [
        ("CAC notice", "CN", ""),  # [CAC notice (CN)](#): lost address
        (
            "SCMP article",
            "EN",
            "https://www.scmp.com/tech/policy/article/3256789/china-eases-data-export-rules",
        ),
    ]
    assert corporate[0].text == "BYD opened its first research center in Europe, in Hungary"
    assert [s.label for s in corporate[1].sources] == ["Huawei press release", "Yicai article"]
    assert [s.language for s in corporate[1].sources] == ["EN", "CN"]
    assert corporate[1].sources[1].url == "https://www.yicai.com/news/102034567.html"
    assert sources(corporate[2]) == [
        (
            "EHang press release",
            "EN",
            "https://ir.ehang.com/news-releases/news-release-details/"
            "ehang-obtains-production-certificate",
        )
    ]
    for item in md.items:
        assert "](" not in item.text and "(CN)" not in item.text and "(EN)" not in item.text
        assert not any(source.label in item.text for source in item.sources)


def test_markdown_credits(md):
    assert [(c.role, c.name, c.role_title) for c in md.credits] == [
        ("author", "Marta Keller", "Senior Analyst"),
        ("author", "Tobias Lang", "Analyst"),
        ("author", "Wen Hui", "Junior Analyst"),
        ("editor", "Jonas Brandt", "Head of Publications"),
        ("editor", "Sophie Arndt", ""),
        ("editor", "Lena Vogt", ""),
    ]


def test_markdown_guesses(md):
    text = read(MARKDOWN)
    guesses = {(g.line, g.what) for g in md.guesses}
    assert (line_of(text, "**Explainer:"), "read as the title of a box") in guesses
    assert (line_of(text, "Marta Keller"), "role title read after the comma") in guesses
    years = [g for g in md.guesses if g.what.startswith("item year inferred as 2024")]
    # Every item but the one printing its year.
    assert len(years) == 7
    assert line_of(text, "March 30, 2024") not in {g.line for g in years}


def test_markdown_markup_lands_nowhere(md):
    found = everything(md)
    for markup in ("**", "###", "[fyp]", "*MERICS", "MERICS Briefs", "11 min read"):
        assert markup not in found


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def page() -> ParsedBriefing:
    return parse_briefing(read(HTML))


def test_html_issue(page):
    text = read(HTML)
    assert page.title == (
        "Industrial robots + Shipbuilding + Battery standards + Cloud security + Hydrogen"
    )
    assert (page.publication_date, page.date_estimated) == (datetime.date(2024, 5, 2), False)
    assert page.hero_caption == "A welding robot at a car plant in Chongqing"
    assert [s.line for s in page.stories] == [
        line_of(text, '<h3 id="story-1">'),
        line_of(text, '<h3 id="story-2">'),
        line_of(text, '<h3 id="story-3">'),
        line_of(text, '<h3 id="story-4">'),
        line_of(text, '<h3 id="story-5">'),
    ]


def test_html_stray_paragraph_is_unplaced_with_its_line(page):
    text = read(HTML)
    assert [(u.line, u.text) for u in page.unplaced] == [
        (
            line_of(text, "Read all earlier issues"),
            "Read all earlier issues of this briefing in the China Industries archive on our "
            "website.",
        )
    ]


def test_html_page_chrome_lands_nowhere(page):
    found = everything(page)
    for chrome in (
        "We use cookies",
        "Accept all",
        "Skip to main content",
        "About us",
        "Publications",
        "Search",
        "Home",
        "LinkedIn",
        "Imprint",
        "Privacy policy",
        "All rights reserved",
        "Mercator Institute",
        "Subscribe to MERICS",
        "in your inbox",
        "dataLayer",
        "not part of the page",
        "font-weight",
        "12 min read",
    ):
        assert chrome not in found, chrome


def test_html_stories(page):
    s1, s2, s3, s4, s5 = page.stories
    assert [s.headline for s in page.stories] == [
        "Beijing wants more robots on the factory floor",  # a permalink <a href="#…">
        "Shipbuilders told to go green",
        "New national standards for battery safety",
        "Cloud providers face tougher security reviews",
        "Hydrogen gets a legal home in the Energy Law",
    ]
    assert s1.glance_intro == (
        "The Ministry of Industry and Information Technology (MIIT) and six other agencies "
        "issued guidelines to speed up the use of industrial robots in manufacturing. By "
        "2027, China aims to:"
    )
    assert s1.glance_bullets == [
        "Double robot density in manufacturing to 800 robots per 10,000 workers",
        "Raise the market share of domestic robot makers above 60 percent",
        "Build 100 “lighthouse” factories that showcase intelligent manufacturing",
    ]
    assert s1.glance_outro == ""
    assert s1.comment == (
        "China already installs more industrial robots each year than the rest of the world "
        "combined, according to the [International Federation of Robotics]"
        "(https://ifr.org/worldrobotics/). The new targets show that Beijing sees automation "
        "as its answer to a shrinking workforce.\n\n"
        "Foreign robot makers such as ABB, Fanuc and KUKA still dominate the high end of the "
        "market. The push for domestic market share will put them under pressure, especially "
        "in public procurement."
    )
    assert s2.glance_intro.startswith("Five ministries led by MIIT")
    assert len(s2.glance_bullets) == 2
    assert s2.glance_outro == (
        "The plan also calls for green shipyards with lower energy use per ton of steel processed."
    )
    assert s2.comment.startswith("China builds more than half of the world’s ships.")
    assert len(s2.comment.split("\n\n")) == 2
    assert len(s3.glance_bullets) == 3
    assert s3.comment.split("\n\n")[1].startswith("For European carmakers")
    assert s4.glance_bullets == [
        "Extends reviews to the supply chains of cloud providers, including chips, servers "
        "and operating systems",
        "Shortens the validity of a passed assessment from three years to two",
    ]
    # A relative link takes the page's address (its canonical link) as its base.
    assert s4.comment.endswith(
        "(see our [report on China’s cloud market]"
        "(https://merics.org/en/report/chinas-cloud-market))."
    )
    assert s5.glance_intro.startswith(
        "The draft Energy Law, submitted to the Standing Committee of the National People’s "
        "Congress (NPCSC)"
    )
    assert len(s5.glance_bullets) == 3
    for story in page.stories:
        assert (story.box_title, story.box_body) == ("", "")
        assert "**" not in story.comment + story.glance_intro


def test_html_documents(page):
    docs = [s.document for s in page.stories]
    assert [(d.label, d.title_en, d.title_zh, d.url) for d in docs] == [
        (
            "Policy name",
            "Guidelines on Accelerating the Application of Industrial Robots",
            "关于加快推动工业机器人应用的指导意见",
            "https://www.miit.gov.cn/zwgk/zcwj/wjfb/yj/art/2024/art_0b7e.html",
        ),
        (
            # The whole title is the link, Chinese title included.
            "Article",
            "Action Plan for the Green Development of the Shipbuilding Industry",
            "船舶制造业绿色发展行动纲要（2024—2030年）",
            "https://www.gov.cn/zhengce/zhengceku/202404/content_6945612.htm",
        ),
        (
            # 《…》 without parentheses; <a href="#">: the address is lost.
            "Policy name",
            "Safety Requirements for Power Batteries of Electric Vehicles (Draft for Comments)",
            "电动汽车用动力蓄电池安全要求（征求意见稿）",
            "",
        ),
        (
            "Policy name",
            "Measures for the Security Assessment of Cloud Computing Services",
            "云计算服务安全评估办法",
            "https://www.cac.gov.cn/2024-04/22/c_1715403120512345.htm",
        ),
        (
            "Article name",
            "Energy Law of the People’s Republic of China (Draft)",
            "中华人民共和国能源法（草案）",
            "https://www.npc.gov.cn/flcaw/flca/ff8081818e4bb2b7018f0a2c5d3e1a9b/attachment.pdf",
        ),
    ]
    assert [d.agencies for d in docs] == [
        ["MIIT", "NDRC", "MOST", "MOF", "MOE", "SAMR", "SASAC"],
        ["MIIT", "NDRC", "MOF", "MEE", "MOT"],
        ["SAMR"],
        ["CAC", "NDRC", "MIIT", "MOF"],
        ["NPCSC"],
    ]
    assert [d.date for d in docs] == [
        datetime.date(2024, 4, 12),
        datetime.date(2024, 4, 3),
        datetime.date(2024, 4, 18),
        datetime.date(2024, 4, 22),
        datetime.date(2024, 4, 24),
    ]
    assert all(d.issuer_note == "" for d in docs)


def test_html_noteworthy(page):
    text = read(HTML)
    policy = [i for i in page.items if i.section == 1]
    corporate = [i for i in page.items if i.section == 2]
    assert [(i.date, i.text) for i in policy] == [
        (
            datetime.date(2024, 4, 2),
            "The National Energy Administration (NEA) approved 12 pilot projects for hydrogen "
            "pipelines",
        ),
        (
            datetime.date(2024, 4, 9),
            "MIIT and three other ministries called for standards on humanoid robots by 2025",
        ),
        (
            datetime.date(2024, 4, 16),
            "The State Council cut the number of industries on the negative list for foreign "
            "investment in manufacturing to zero",
        ),
        (
            datetime.date(2024, 4, 28),
            "SAMR opened an investigation into price fixing by three producers of lithium "
            "carbonate",
        ),
    ]
    assert [sources(i) for i in policy] == [
        [("NEA notice", "CN", "https://www.nea.gov.cn/2024-04/02/c_1310770123.htm")],
        [
            ("MIIT notice", "CN", "https://www.miit.gov.cn/jgsj/kjs/wjfb/art/2024/art_7c1d.html"),
            (
                "SCMP article",
                "EN",
                "https://www.scmp.com/tech/big-tech/article/3258901/china-humanoid-robot-standards",
            ),
        ],
        [("State Council notice", "CN", ""), ("Caixin article", "EN", "")],
        [("SAMR notice", "CN", "https://www.samr.gov.cn/xw/zj/art/2024/art_55e1.html")],
    ]
    assert [(i.date, i.text) for i in corporate] == [
        (
            datetime.date(2024, 4, 11),
            "Siasun Robot & Automation opened a plant in Shenyang that will produce 10,000 "
            "industrial robots a year",
        ),
        (
            datetime.date(2024, 4, 25),
            "CATL unveiled a lithium iron phosphate battery that charges to 80 percent in ten "
            "minutes",
        ),
    ]
    assert [sources(i) for i in corporate] == [
        [("Yicai article", "CN", "https://www.yicai.com/news/102078901.html")],
        [
            (
                "Reuters article",
                "EN",
                "https://www.reuters.com/technology/catl-unveils-fast-charging-battery-2024-04-25/",
            ),
            ("CATL press release", "EN", "https://www.catl.com/en/news/6201.html"),
        ],
    ]
    assert [i.line for i in page.items] == [
        line_of(text, "<strong>April 2:</strong>"),
        line_of(text, "<strong>April 9:</strong>"),
        line_of(text, "<strong>April 16:</strong>"),
        line_of(text, "<strong>April 28:</strong>"),
        line_of(text, "<strong>April 11:</strong>"),
        line_of(text, "<strong>April 25:</strong>"),
    ]


def test_html_credits(page):
    text = read(HTML)
    assert [(c.role, c.name, c.role_title) for c in page.credits] == [
        ("author", "Katharina Roth", "Senior Analyst"),  # name<br>title
        ("author", "Felix Baumann", "Analyst"),  # name, title, MERICS
        ("author", "Chen Jing", ""),  # a name alone followed by another name alone
        ("author", "Yu Lan", ""),
        ("editor", "Anna Schulz", "Editor"),
    ]
    assert (line_of(text, "Felix Baumann"), "role title read after the comma") in {
        (g.line, g.what) for g in page.guesses
    }
    assert (line_of(text, "<figcaption>"), "read as the caption of the cover image") in {
        (g.line, g.what) for g in page.guesses
    }


def test_html_with_unclosed_paragraphs_and_items_reads_the_same(page):
    text = re.sub(r"</(p|li|h3|h4)>", "", read(HTML))
    b = parse_briefing(text)
    assert b.stories == page.stories
    assert b.items == page.items
    assert b.credits == page.credits
    assert b.unplaced == page.unplaced


def test_html_deeply_nested_reads_the_same(page):
    text = read(HTML)
    start, end = text.index("<main"), text.index("</main>") + len("</main>")
    deep = text[:start] + "<div>" * 50_000 + text[start:end] + "</div>" * 50_000 + text[end:]
    b = parse_briefing(deep)
    assert (b.title, b.stories, b.items, b.credits) == (
        page.title,
        page.stories,
        page.items,
        page.credits,
    )


def test_a_briefing_padded_with_markup_still_parses():
    text = read(HTML)
    at = text.index("<h2>Noteworthy</h2>")
    padding = '<div class="x"><p>Text with <a href="https://a.example/b">a link</a>.</p></div>\n'
    big = text[:at] + padding * (200_000 // len(padding)) + text[at:]
    assert len(big) > 200_000
    b = parse_briefing(big)
    assert len(b.stories) == 5 and len(b.items) == 6


# --------------------------------------------------------------------------- markup to lines


def test_plain_text_exports_are_taken_as_they_are():
    for path in sorted(SEEDS.glob("*.txt")):
        text = read(path)
        assert not looks_like_html(text) and not looks_like_markdown(text), path.name
        lines = to_lines(text)
        assert lines.lines == text.split("\n")
        assert lines.origin == list(range(1, len(lines.lines) + 1))
    assert to_lines(read(MARKDOWN)).kind == "Markdown"
    assert to_lines(read(HTML)).kind == "HTML"


def test_html_fragment_without_doctype_is_html():
    fragment = "<h3>1. Title</h3>\n<p><strong>At a glance:</strong> Text</p>\n" * 5
    assert looks_like_html(fragment)
    # A plain export with a few underline tags is not.
    assert not looks_like_html("Line with <u>a link</u>\n" * 20)


def test_html_lines():
    page = (
        "<html><head><base href='https://example.org/dir/page'></head><body>\n"
        "<p>Caf&eacute; &amp; bar&nbsp;&#8212; x<br>second line</p>\n"
        "<ol start='3'><li>three</li><li>four<ul><li>nested</li></ul></li></ol>\n"
        "<p><b>Date</b>: <a href='other'>relative</a>, <a href='#top'>anchor</a>, "
        "<a href='javascript:void(0)'>script</a>, <a href=''>empty</a>,\n"
        "<a href='https://a.example/x(1)'>parenthesis</a></p>\n"
        "<div hidden>hidden</div><div style='display: none'>invisible</div>"
        "<span aria-hidden='true'>icon</span>\n"
        "<table><tr><td>cell one</td><td>cell two</td></tr></table>\n"
        "</body></html>"
    )
    lines = html_lines(page)
    assert lines.lines == [
        "Café & bar — x",
        "second line",
        "3. three",
        "4. four",
        "  - nested",
        "Date: [relative](https://example.org/dir/other), anchor, script, empty, "
        "[parenthesis](https://a.example/x%281%29)",
        "cell one",
        "cell two",
    ]
    assert lines.origin == [2, 2, 3, 3, 3, 4, 7, 7]


def test_relative_links_without_a_page_address_keep_only_their_text():
    lines = html_lines("<p><a href='/en/report'>our report</a> and <a href='x.html'>x</a></p>")
    assert lines.lines == ["our report and x"]


def test_html_labels_set_as_headings():
    page = (
        "<html><body><h3>1. A story</h3><h4>At a glance</h4><p>Something happened.</p>"
        "<ul><li>A bullet</li></ul><h4>MERICS comment</h4><p>A comment.</p>"
        "<p><b>Policy name:</b> A plan (一个计划)</p><p>Date: March 3, 2024</p></body></html>"
    )
    story = parse_briefing(page).stories[0]
    assert (story.glance_intro, story.glance_bullets, story.comment) == (
        "Something happened.",
        ["A bullet"],
        "A comment.",
    )
    assert (story.document.title_en, story.document.title_zh) == ("A plan", "一个计划")


def test_html_line_numbers_point_at_the_text():
    page = "<p>\n\n   Text two lines below its tag</p>\n<p>One</p><p>Two</p>"
    lines = html_lines(page)
    assert list(zip(lines.lines, lines.origin, strict=True)) == [
        ("Text two lines below its tag", 3),
        ("One", 4),
        ("Two", 4),
    ]


def test_html_page_header_is_chrome_unless_it_holds_the_title():
    kept = html_lines("<header><p>MERICS</p><h1>Topic</h1></header><main><p>Body</p></main>")
    assert kept.lines == ["MERICS", "Topic", "Body"]
    assert kept.headings == {1: 1}
    dropped = html_lines("<header><p>Menu text</p></header><main><p>Body</p></main>")
    assert dropped.lines == ["Body"]
    inside = html_lines("<article><header><p>Kicker</p></header><footer>By X</footer></article>")
    assert inside.lines == ["Kicker", "By X"]
    role = html_lines('<div role="main"><header>Kicker</header></div><footer>Imprint</footer>')
    assert role.lines == ["Kicker"]


def test_html_chrome_by_attributes():
    page = (
        '<body class="has-cookie-banner with-sidebar"><main>'
        '<div class="cookie-consent">Cookies</div>'
        '<div id="breadcrumbs">Home</div>'
        '<div class="social-share">Share</div>'
        '<section role="navigation">Nav</section>'
        '<div class="merics-comment"><p>Kept</p></div>'
        "</main></body>"
    )
    assert html_lines(page).lines == ["Kept"]


def test_markdown_lines():
    text = (
        "---\ntitle: Front &amp; matter\ndate: 2024-04-03T09:00:00+02:00\nlayout: post\n---\n"
        "Setext title\n============\n"
        "## **Bold heading**\n"
        "**At a glance:** text with ![an image](img.png) and [a ref][r] and <https://a.example>\n"
        "+ plus item\n"
        "  * nested **bold** item\n"
        "> **Date**: March 3, 2024\n"
        "\n"
        "---\n"
        "1) first\n"
        "[r]: https://ref.example/x\n"
    )
    lines = markdown_lines(text)
    assert [line for line in lines.lines if line] == [
        "Front & matter",
        "2024-04-03",
        "Setext title",
        "Bold heading",
        "At a glance: text with  and [a ref](https://ref.example/x) and https://a.example",
        "- plus item",
        "  - nested **bold** item",
        "Date: March 3, 2024",
        "1. first",
    ]
    headings = {lines.lines[i]: level for i, level in lines.headings.items()}
    assert headings == {"Front & matter": 1, "Setext title": 1, "Bold heading": 2}
    assert lines.origin[lines.lines.index("Date: March 3, 2024")] == 12


def test_emphasis_after_a_bold_label_stays():
    text = SMALL.replace("At a glance: Something.", "**At a glance:** *Xinhua* reports.")
    assert parse_briefing(text).stories[0].glance_intro == "*Xinhua* reports."


def test_markdown_wrapped_at_a_fixed_width_is_joined():
    paragraph = (
        "MERICS comment: This paragraph was wrapped by a converter at a fixed width of\n"
        "about seventy characters, as pandoc and html2text do by default, so that\n"
        "each of its lines ends in the middle of a sentence and the next one\n"
        "carries on; the reader must see one paragraph, starting on its first line.\n"
    )
    text = "# Title\n\n" + (paragraph + "\n") * 3 + "**Date:** March 3, 2024\n"
    converted = markdown_lines(text)
    lines = [(line, n) for line, n in zip(converted.lines, converted.origin, strict=True) if line]
    assert len(lines) == 5
    assert lines[1][0].startswith("MERICS comment: This paragraph")
    assert lines[1][0].endswith("starting on its first line.")
    assert [n for _, n in lines] == [1, 3, 8, 13, 18]
    # Not wrapped (one paragraph per line): consecutive lines stay lines of their own.
    short = "# T\n\n**Policy name:** X\n**Issuing body:** MIIT\nDate: March 3, 2024\n"
    assert [line for line in markdown_lines(short).lines if line] == [
        "T",
        "Policy name: X",
        "Issuing body: MIIT",
        "Date: March 3, 2024",
    ]


# --------------------------------------------------------------------------- hostile markup


def test_html_with_only_scripts_is_not_a_briefing():
    page = "<!doctype html><html><head><script>var x = '<p>At a glance: x</p>';</script>"
    page += "<style>p { color: red }</style></head><body><script>alert(1)</script></body></html>"
    with pytest.raises(NotABriefing) as error:
        parse_briefing(page)
    assert "no briefing text" in str(error.value)


def test_two_megabytes_of_div_is_not_a_briefing():
    with pytest.raises(NotABriefing) as error:
        parse_briefing("<div>" * (2 * 1024 * 1024 // len("<div>")))
    assert "no briefing text" in str(error.value)


def test_unclosed_chrome_swallows_the_page_with_a_clear_message():
    with pytest.raises(NotABriefing) as error:
        parse_briefing("<!doctype html><nav><p>Menu</p><h3>1. Headline</h3><p>At a glance: x</p>")
    assert "no briefing text" in str(error.value)


def test_markdown_without_top5_is_not_a_briefing():
    text = "# Minutes of the board meeting\n\n**Date:** March 3, 2024\n\n* Budget\n* Coffee\n"
    with pytest.raises(NotABriefing) as error:
        parse_briefing(text)
    assert "MERICS Top 5" in str(error.value) and "At a glance" in str(error.value)


def test_markup_attacks_end_in_a_message_or_a_briefing():
    attacks = [
        "<" * 100_000,
        "<!--" * 50_000,
        "<a href='" * 20_000,
        "<ul><li>" * 100_000,
        "<ol start='" + "9" * 5000 + "'><li>x" * 10,
        "<h1>x</h1>" * 100_000,
        "<header>" * 100_000 + "<h1>x</h1>" * 50_000,
        "**" * 200_000,
        "[" * 100_000 + "](" * 100_000,
        "# " + "#" * 100_000,
        "---\n" * 100_000,
        "&#99999999;&#x110000;&bogus;" * 10_000,
        "<!--" * 100_000,
        "</a " * 100_000,
        "<?" * 100_000,
        "<a href='http://[" * 10_000,
        '<p><a href="http://[">x</a></p>' * 10_000,
        "<p>" + "x" * 1_000_000 + "</p>",
    ]
    for attack in attacks:
        try:
            result = parse_briefing(attack)
        except NotABriefing as error:
            assert str(error) != FAILED, attack[:40]
        else:
            assert isinstance(result, ParsedBriefing)


SMALL = (
    "## Topic\n\n**MERICS Briefs** x\n\n1. A story\n\nAt a glance: Something.\n\n- b\n\n"
    "MERICS comment: A comment.\n\nPolicy name: A (中) (Link)\nIssuing body: MIIT\n"
    "Date: March 3, 2024\n\nNoteworthy\n\nPolicy news\n\n- March 1: x (MIIT notice (CN))\n\n"
    "Authors\n\nJane Doe, Analyst\n"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("A comment.", "[" * 300_000),
        ("A comment.", "[x](" * 100_000),
        ("A (中) (Link)", "(http://a" * 30_000),
        ("A (中) (Link)", "A (中) " + "(Link) " * 40_000),
        ("A (中) (Link)", "A " + "(中) ab " * 30_000),
        ("MIIT\n", "MIIT " + "(via " * 50_000 + "\n"),
        ("x (MIIT notice (CN))", "x" + "\nc" * 150_000),
        ("- b", "- b" + "\nc" * 150_000),
        ("A comment.", "A comment.\n" + "1. x\n" * 60_000),
        ("Jane Doe, Analyst", "Jane Doe" + "\u2003" * 300_000 + "MERICS"),
        ("## Topic", "1. A" + "." * 300_000 + "x\n" + "1. A" + "\t" * 300_000 + "x"),
    ],
    ids=lambda value: repr(value[:12]),
)
def test_long_lines_and_runs_parse(old, new):
    text = SMALL.replace(old, new)
    assert text != SMALL
    result = parse_briefing(text)
    assert len(result.stories) == 1


def test_deep_inline_markup_parses():
    text = SMALL.replace("Something.", "<b><i>" * 50_000 + "x" + "</i></b>" * 50_000)
    page = "<html><body>" + text.replace("\n", "<br>") + "</body></html>"
    story = parse_briefing(page).stories[0]
    # Three levels are written out as Markdown; deeper ones are plain text.
    assert story.glance_intro == "*****x*****"


_PIECES = [
    "<",
    ">",
    "</",
    "<p>",
    "</li>",
    "<ul>",
    '<a href="',
    '"',
    "**",
    "*",
    "### ",
    "(",
    ")",
    "[",
    "](",
    "](#)",
    "（",
    "《",
    "\n",
    "\n\n",
    ":",
    ";",
    "&amp;",
    "&#",
    "\\",
    "\x00",
    "\ufeff",
    "At a glance:",
    "MERICS comment:",
    "Policy name:",
    "Date:",
    "Noteworthy",
    "Authors",
    "1. ",
    "5. ",
    "March 4: ",
    "- ",
    "---",
    "```",
    "> ",
    "<script>",
    "<!--",
    "<h1>",
    "<header>",
    "</header>",
    "中",
    "(CN)",
    ", MERICS",
    "<br>",
    "https://x.example/(a)",
]


def _mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(text) + 1)
        operation = rng.random()
        if operation < 0.3:
            text = text[:at] + rng.choice(_PIECES) + text[at:]
        elif operation < 0.5:
            text = text[:at] + text[at + rng.randint(1, 200) :]
        elif operation < 0.6:
            text = text[:at]
        elif operation < 0.75:
            lines = text.split("\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif operation < 0.85:
            end = at + rng.randint(1, 300)
            text = text[:at] + text[at:end] * rng.randint(2, 4) + text[end:]
        else:
            noise = "".join(chr(rng.randrange(32, 0x3000)) for _ in range(rng.randint(1, 20)))
            text = text[:at] + noise + text[at:]
    return text


@pytest.mark.parametrize("path", [MARKDOWN, HTML], ids=["markdown", "html"])
def test_mutated_files_end_in_a_briefing_or_a_message(path):
    """Only NotABriefing ever leaves the parser, and never because the parser failed."""
    original = read(path)
    rng = random.Random(20240403)
    parsed = 0
    for _ in range(250):
        text = _mutate(rng, original)
        try:
            result = parse_briefing(text)
        except NotABriefing as error:
            assert str(error) != FAILED, (error.__cause__, text)
        else:
            assert isinstance(result, ParsedBriefing)
            assert all(u.line >= 1 for u in result.unplaced)
            assert all(g.line >= 1 for g in result.guesses)
            parsed += 1
    assert parsed > 100  # most mutations still read as a briefing


def test_a_failing_parser_gives_a_message_not_a_crash(monkeypatch):
    def broken(text):
        raise IndexError("a bug")

    monkeypatch.setattr(parse_module, "to_lines", broken)
    with pytest.raises(NotABriefing) as error:
        parse_briefing(read(MARKDOWN))
    assert str(error.value) == FAILED
    assert isinstance(error.value.__cause__, IndexError)
