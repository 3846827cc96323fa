import django_filters
from django.db.models import Q

from apps.agencies.models import Agency
from apps.people.models import Person

from .models import Issue, NoteworthyItem, Story

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
    days = Issue.objects.published().dates("publication_date", "year", order="DESC")
    return [(str(day.year), str(day.year)) for day in days]


def agencies_in_print(request=None):
    return Agency.objects.shown_in(Issue.objects.published())


def people_in_print(request=None):
    return Person.objects.shown_in(Issue.objects.published())


class IssueFilter(django_filters.FilterSet):
    """The archive's filters. Choices come only from published content."""

    year = django_filters.ChoiceFilter(
        choices=published_years, field_name="publication_date__year", empty_label="Any year"
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=agencies_in_print,
        to_field_name="slug",
        method="filter_agency",
        empty_label="Any agency",
    )
    person = django_filters.ModelChoiceFilter(
        queryset=people_in_print,
        to_field_name="slug",
        field_name="credits__person",
        distinct=True,
        empty_label="Anyone",
    )
    section = django_filters.ChoiceFilter(
        choices=SECTIONS, method="filter_section", empty_label="Any section"
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
    in_top_five = Q(pk__in=Story.objects.filter(document__issuers__agency=agency).values("issue"))
    items = NoteworthyItem.objects.filter(agencies=agency)
    if section == "top5":
        return in_top_five
    if section in NOTEWORTHY_SECTIONS:
        return Q(pk__in=items.filter(section=NOTEWORTHY_SECTIONS[section]).values("issue"))
    return in_top_five | Q(pk__in=items.values("issue"))
