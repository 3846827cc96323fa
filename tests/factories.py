import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.agencies.models import Agency
from apps.briefings.models import (
    Credit,
    DocumentAgency,
    Issue,
    NoteworthyItem,
    PolicyDocument,
    SourceLink,
    Story,
)
from apps.people.models import Person


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    abbreviation = factory.Sequence(lambda n: f"AG{n}")
    name_en = factory.LazyAttribute(lambda a: f"Agency {a.abbreviation}")
    name_zh = "工业和信息化部"
    slug = factory.LazyAttribute(lambda a: a.abbreviation.lower())


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Analyst {n}")
    slug = factory.Sequence(lambda n: f"analyst-{n}")
    role_title = "Analyst"


class PolicyDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyDocument
        skip_postgeneration_save = True

    label = PolicyDocument.Label.POLICY_NAME
    title_en = factory.Sequence(lambda n: f"Action Plan number {n}")
    title_zh = factory.Sequence(lambda n: f"行动计划第{n}号")
    date = datetime.date(2021, 6, 1)

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if not create:
            return
        agencies = [AgencyFactory()] if extracted is None else extracted
        for position, agency in enumerate(agencies, start=1):
            DocumentAgency.objects.create(document=self, agency=agency, position=position)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    title = factory.Sequence(lambda n: f"Topic {n} + Standards + Batteries")
    slug = factory.Sequence(lambda n: f"issue-{n}")
    publication_date = factory.Sequence(
        lambda n: datetime.date(2020, 1, 6) + datetime.timedelta(days=31 * n)
    )


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    issue = factory.SubFactory(IssueFactory)
    position = 1
    headline = factory.Sequence(lambda n: f"Ministry issues plan {n}")
    glance_intro = "The ministry released a plan. Targets include:"
    glance_bullets = "Build 100 standards by 2025\nPromote exports"
    comment = "First paragraph of the comment.\n\nSecond paragraph."
    document = factory.SubFactory(PolicyDocumentFactory)


class NoteworthyItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteworthyItem

    issue = factory.SubFactory(IssueFactory)
    date = datetime.date(2021, 6, 3)
    text = "NDRC warns provincial governments against missing targets"
    position = factory.Sequence(int)


class SourceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceLink

    item = factory.SubFactory(NoteworthyItemFactory)
    label = "NDRC notice"
    language = SourceLink.Language.CHINESE


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    issue = factory.SubFactory(IssueFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.AUTHOR


def complete_issue(**kwargs):
    """An issue that passes the publish checklist, not yet published."""
    issue = IssueFactory(**kwargs)
    for position in range(1, 6):
        StoryFactory(issue=issue, position=position)
    NoteworthyItemFactory(issue=issue, section=NoteworthyItem.Section.POLICY)
    NoteworthyItemFactory(issue=issue, section=NoteworthyItem.Section.CORPORATE)
    CreditFactory(issue=issue)
    issue.count_words()
    return issue


def published_issue(**kwargs):
    """A complete issue, published a day ago, with its search entries and tracker rows."""
    from apps.briefings import editing

    issue = complete_issue(**kwargs)
    issue.publish(at=timezone.now() - datetime.timedelta(days=1))
    editing.announce([issue.pk])
    return issue


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


def reindex():
    """What the editing layer does after a published change, for tests that set content
    up around it: search entries and tracker rows made again, the page cache moved on."""
    from apps.briefings import editing

    editing.announce(Issue.objects.values_list("pk", flat=True))
