import django_filters
from django.db.models import Q

from apps.agencies.models import Agency
from apps.people.models import Person

from .models import Appearance, Issue, NoteworthyItem, Story
from .pagecache import memo
from .widgets import PlainSelect

SECTIONS = [
    ("top5", "Top 5"),
    ("policy", "Policy news"),
    ("corporate", "Corporate news"),
]
NOTEWORTHY_SECTIONS = {
    "policy": NoteworthyItem.Section.POLICY,
    "corporate": NoteworthyItem.Section.CORPORATE,
}


def published_years(request=None):
    def years():
        days = Issue.objects.published().dates("publication_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in days]

    return memo("archive-years", years)


def agency_ids_in_print() -> list[int]:
    """The agencies published issues show (each has a public page), once per version."""
    return memo(
        "agencies-in-print",
        lambda: list(
            Agency.objects.shown_in(Issue.objects.published()).values_list("pk", flat=True)
        ),
    )


def person_ids_in_print() -> list[int]:
    """The people credited on published issues (each has a public page), once per version."""
    return memo(
        "people-in-print",
        lambda: list(
            Person.objects.shown_in(Issue.objects.published()).values_list("pk", flat=True)
        ),
    )


def agencies_in_print(request=None):
    return Agency.objects.filter(pk__in=agency_ids_in_print())


def people_in_print(request=None):
    return Person.objects.filter(pk__in=person_ids_in_print())


class IssueFilter(django_filters.FilterSet):
    """The archive's filters. Choices come only from published content."""

    year = django_filters.ChoiceFilter(
        choices=published_years,
        label="Year",
        field_name="publication_date__year",
        empty_label="Any year",
        widget=PlainSelect,
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=agencies_in_print,
        label="Agency",
        to_field_name="slug",
        method="filter_agency",
        empty_label="Any agency",
        widget=PlainSelect,
    )
    person = django_filters.ModelChoiceFilter(
        queryset=people_in_print,
        label="Person",
        to_field_name="slug",
        field_name="credits__person",
        distinct=True,
        empty_label="Anyone",
        widget=PlainSelect,
    )
    section = django_filters.ChoiceFilter(
        choices=SECTIONS,
        label="Section",
        method="filter_section",
        empty_label="Any section",
        widget=PlainSelect,
    )

    class Meta:
        model = Issue
        fields = ["year", "agency", "person", "section"]

    def filter_agency(self, issues, name, agency):
        # Where the agency appears depends on the section chosen with it.
        section = self.form.cleaned_data.get("section")
        return issues.filter(citing(agency, section))

    def filter_section(self, issues, name, section):
        if self.form.cleaned_data.get("agency"):
            return issues  # combined with the agency in filter_agency
        if section == "top5":
            return issues.filter(pk__in=Story.objects.values("issue"))
        items = NoteworthyItem.objects.filter(section=NOTEWORTHY_SECTIONS[section])
        return issues.filter(pk__in=items.values("issue"))


def citing(agency, section=""):
    """A filter of issues in which an agency appears, in one section or in any."""
    appearances = Appearance.objects.filter(agency=agency)
    if section == "top5":
        appearances = appearances.filter(kind=Appearance.Kind.STORY)
    elif section in NOTEWORTHY_SECTIONS:
        appearances = appearances.filter(
            kind=Appearance.Kind.ITEM, section=NOTEWORTHY_SECTIONS[section]
        )
    return Q(pk__in=appearances.values("issue"))
