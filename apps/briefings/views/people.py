"""People credited on published issues."""

from django.core.paginator import InvalidPage
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from apps.people.models import Person

from ..models import Appearance, Credit, Issue, rendering_fields
from ..pagecache import memo
from ..paginators import KnownCountPaginator


def credit_counts() -> dict[int, int]:
    """{person id: credits on published issues}, computed once per content version."""
    return memo(
        "person-credits",
        lambda: dict(
            Credit.objects.filter(issue__in=Issue.objects.published())
            .values("person")
            .annotate(n=Count("pk"))
            .values_list("person", "n")
        ),
    )


class PersonListView(TemplateView):
    template_name = "people/person_list.html"

    def get_context_data(self, **kwargs):
        people = Person.objects.filter(pk__in=credit_counts()).order_by("name")
        return super().get_context_data(people=people, **kwargs)


class PersonDetailView(DetailView):
    """A person and the published issues they worked on, newest first, a page at a time."""

    template_name = "people/person_detail.html"
    context_object_name = "person"
    queryset = Person.objects.all()
    per_page = 25

    def get_context_data(self, **kwargs):
        count = credit_counts().get(self.object.pk, 0)
        if not count:
            raise Http404("This person is credited on no published issue.")
        appearances = (
            Appearance.objects.filter(person=self.object, publish_at__lte=timezone.now())
            .order_by("-date", "-sort")
            .only("credit_pk")
        )
        try:
            page = KnownCountPaginator(appearances, self.per_page, count).page(
                self.request.GET.get("page", 1)
            )
        except InvalidPage as error:
            raise Http404("No such page.") from error
        credits = (
            Credit.objects.select_related("issue")
            .defer(*rendering_fields("issue"))
            .in_bulk([row.credit_pk for row in page.object_list])
        )
        page.object_list = [
            credits[row.credit_pk] for row in page.object_list if row.credit_pk in credits
        ]
        return super().get_context_data(credits=page, page_obj=page, **kwargs)
