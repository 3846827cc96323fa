import pytest
from django.core.exceptions import ValidationError

from apps.briefings.sources import Source, format_sources, parse_sources


def test_printed_source_line_is_parsed_into_labels_and_languages():
    assert parse_sources("MIIT notice (CN); Reuters article (EN)") == [
        Source("MIIT notice", "CN"),
        Source("Reuters article", "EN"),
    ]


def test_one_source_per_line_with_address():
    sources = parse_sources("MIIT notice (cn) https://www.miit.gov.cn/a.html\nSASAC notice")
    assert sources == [
        Source("MIIT notice", "CN", "https://www.miit.gov.cn/a.html"),
        Source("SASAC notice"),
    ]


def test_bad_address_is_refused_with_its_line():
    with pytest.raises(ValidationError) as error:
        parse_sources("MIIT notice (CN)\nReuters article (EN) https://")
    assert "Line 2" in error.value.messages[0]


def test_a_line_without_label_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_sources("(CN) https://example.org/")
    assert "needs a label" in error.value.messages[0]


def test_format_and_parse_round_trip():
    sources = [Source("MOF notice", "CN", "https://example.org/x"), Source("Bloomberg article")]
    assert parse_sources(format_sources(sources)) == sources
