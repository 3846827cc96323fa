"""People credited on published issues."""

from django.http import Http404
from django.views.generic import DetailView, ListView

from apps.people.models import Person

from ..models import Credit, Issue


class PersonListView(ListView):
    template_name = "people/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        return Person.objects.shown_in(Issue.objects.published())


class PersonDetailView(DetailView):
    """A person and the published issues they worked on, newest first."""

    template_name = "people/person_detail.html"
    context_object_name = "person"
    queryset = Person.objects.all()

    def get_context_data(self, **kwargs):
        credits = list(
            Credit.objects.filter(person=self.object, issue__in=Issue.objects.published())
            .select_related("issue")
            .order_by("-issue__publication_date", "role")
        )
        if not credits:
            raise Http404("This person is credited on no published issue.")
        return super().get_context_data(credits=credits, **kwargs)
