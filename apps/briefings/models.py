import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from apps import images
from apps.addresses import slug_address
from apps.agencies.models import Agency
from apps.people.models import Person

from .markdown import plain_text, render_inline, render_markdown

TOP_FIVE = range(1, 6)
WORDS_PER_MINUTE = 230


def unique_slug(queryset, text, max_length, fallback="item"):
    """A slug of `text` that no row of `queryset` has, at most `max_length` long."""
    base = slugify(text)[: max_length - 4].strip("-") or fallback
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class IssueQuerySet(models.QuerySet):
    def published(self, at=None):
        """Issues a reader may see: published, and their publication time has come (by
        `at`, now unless given)."""
        return self.filter(status=Issue.Status.PUBLISHED, publish_at__lte=at or timezone.now())

    def scheduled(self):
        """Issues published for a time still to come."""
        return self.filter(status=Issue.Status.PUBLISHED, publish_at__gt=timezone.now())

    def with_neighbours(self, at=None):
        """Each issue with the published issues just before and after it by date
        (`previous_issue`, `next_issue`: {"slug": …, "title": …}, or None at either end),
        read in the same query through the date index."""
        date = models.OuterRef("publication_date")
        before = Issue.objects.published(at).filter(publication_date__lt=date)
        after = Issue.objects.published(at).filter(publication_date__gt=date)
        neighbour = JSONObject(slug="slug", title="title")
        return self.annotate(
            previous_issue=models.Subquery(
                before.order_by("-publication_date").values_list(neighbour)[:1],
                output_field=models.JSONField(),
            ),
            next_issue=models.Subquery(
                after.order_by("publication_date").values_list(neighbour)[:1],
                output_field=models.JSONField(),
            ),
        )

    def with_content(self):
        """Fetch everything an issue page or feed entry shows, in a constant number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "stories",
                queryset=Story.objects.select_related("document").prefetch_related(
                    models.Prefetch(
                        "document__issuers",
                        queryset=DocumentAgency.objects.select_related("agency"),
                    )
                ),
            ),
            models.Prefetch(
                "noteworthy_items", queryset=NoteworthyItem.objects.prefetch_related("sources")
            ),
            models.Prefetch("credits", queryset=Credit.objects.select_related("person")),
            "corrections",
        )


def rendering_fields(through: str = "") -> list[str]:
    """An issue's rendering, large and read only by its page and feeds, to `defer`; the
    issue's, or through a relation to it (`rendering_fields("issue")`)."""
    prefix = f"{through}__" if through else ""
    names = ("rendered", "rendered_article", "rendered_feed", "neighbours")
    return [f"{prefix}{name}" for name in names]


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Stories of published issues whose publication time has come."""
        return self.filter(issue__in=Issue.objects.published())

    def with_document(self):
        """Stories with their issue, document and issuing agencies, in three queries."""
        # The issue's own rendering is large and not needed with a story.
        return (
            self.select_related("issue", "document")
            .defer(*rendering_fields("issue"))
            .prefetch_related(
                models.Prefetch(
                    "document__issuers", queryset=DocumentAgency.objects.select_related("agency")
                )
            )
        )


class NoteworthyItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(issue__in=Issue.objects.published())


class Issue(models.Model):
    """One monthly briefing."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(
        "topic line",
        max_length=255,
        help_text="E.g. “ICT infrastructure + IPR enforcement + Battery innovation”.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    publication_date = models.DateField(help_text="The date printed on the issue.")
    publish_at = models.DateTimeField(
        "goes live at",
        null=True,
        blank=True,
        help_text="Set when the issue is published; a future time schedules it.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    standfirst = models.TextField(blank=True)
    hero_image = images.CheckedImageField(
        upload_to="issues/", blank=True, width_field="hero_width", height_field="hero_height"
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The hero image whose renditions are made (by a background job, `heroes`): `srcset`
    # lists them only while it is still the hero image.
    hero_renditions_of = models.CharField(
        max_length=100, blank=True, default="", db_default="", editable=False
    )
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_alt = models.CharField("hero image alt text", max_length=300, blank=True)
    hero_credit = models.CharField(max_length=200, blank=True)
    # Derived from the stories and noteworthy items whenever they change.
    words = models.PositiveIntegerField(default=0, editable=False)
    # The issue rendered once (apps.briefings.rendering), empty when out of date: what page
    # heads and feeds say of it (JSON), its page's article and its feed entry (text, so
    # that a page reads its article without decoding the feed entry, and the other way).
    rendered = models.JSONField(default=dict, blank=True, editable=False)
    rendered_article = models.TextField(blank=True, default="", db_default="", editable=False)
    rendered_feed = models.TextField(blank=True, default="", db_default="", editable=False)
    # Counts the times the rendering went out of date: a rendering made from content read
    # before the last time is not kept (`rendering.render`).
    rendering_stamp = models.PositiveBigIntegerField(default=0, editable=False)
    # The published issues just before and after it, as its page links to them, and the
    # content version they were found at: found again once that moves on (`rendering`).
    neighbours = models.JSONField(null=True, blank=True, editable=False)
    editorial_note = models.TextField(
        blank=True, help_text="Internal: sources, corrections, estimated dates. Never shown."
    )
    # Incremented by every change (apps.briefings.editing), so that a change based on an
    # older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Changes to a live issue wait here, unseen by readers, until an editor publishes them.
    pending_revision = models.ForeignKey(
        "Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    pending_in_review = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_date", "-id"]
        get_latest_by = "publication_date"
        permissions = [("publish_issue", "Can publish and unpublish issues")]
        indexes = [
            models.Index(fields=["status", "publish_at"]),
            # The home page, the archive, previous/next: newest first.
            models.Index(fields=["-publication_date", "-id"], name="issue_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(publish_at__isnull=False),
                name="issue_published_has_publish_at",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publication_date:%B %Y})"

    def save(self, *args, **kwargs):
        hero = self.hero_image
        saved = getattr(self, "_saved_hero", None)
        changed = bool(hero) and hero.name != (saved.name if hasattr(saved, "name") else saved)
        if changed:
            # A new upload has none; an image used before may have them already.
            made = hero._committed and images.renditions_made(
                hero.storage, hero.name, self.hero_width
            )
            self.hero_renditions_of = hero.name if made else ""
        super().save(*args, **kwargs)
        self._saved_hero = self.hero_image.name if self.hero_image else ""
        needed = images.rendition_widths(self.hero_width)  # none for a small image
        if changed and needed and self.hero_renditions_of != self.hero_image.name:
            from . import heroes

            heroes.make_renditions_later(self.hero_image.name)

    def get_absolute_url(self):
        return slug_address("briefings:issue", slug=self.slug)

    def clean(self):
        if self.hero_image and not self.hero_alt:
            raise ValidationError(
                {"hero_alt": "Describe the hero image for readers who can’t see it."}
            )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        issue = super().from_db(db, field_names, values, **kwargs)
        issue._saved_hero = issue.__dict__.get("hero_image")
        return issue

    def hero_srcset(self):
        if not self.hero_image:
            return ""
        made = self.hero_renditions_of == self.hero_image.name
        return images.srcset(self.hero_image, self.hero_width, with_renditions=made)

    @property
    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_live

    @property
    def state(self):
        """draft, review, scheduled or published: the status as the workflow sees it."""
        return "scheduled" if self.is_scheduled else self.status

    def noteworthy_sections(self):
        """[(section, items)] in printed order, leaving out empty sections."""
        items = list(self.noteworthy_items.all())
        return [
            (section, [item for item in items if item.section == section])
            for section in NoteworthyItem.Section
            if any(item.section == section for item in items)
        ]

    def credits_by_role(self):
        """[(heading, credits)] in printed order: authors, contributors, editors."""
        credits = list(self.credits.all())
        return [
            (heading, [credit for credit in credits if credit.role == role])
            for role, heading in Credit.HEADINGS.items()
            if any(credit.role == role for credit in credits)
        ]

    def reading_time(self):
        """Minutes a reader needs for the whole issue, computed from its content when it
        changes (see `count_words`)."""
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    def count_words(self):
        """Store the number of words of the issue's rows, as each row counted its own."""
        words = sum(Story.objects.filter(issue=self).values_list("words", flat=True)) + sum(
            NoteworthyItem.objects.filter(issue=self).values_list("words", flat=True)
        )
        Issue.objects.filter(pk=self.pk).update(words=words)
        self.words = words

    def live_problems(self, stories=None):
        """What a published issue may never lack: its complete Top 5. (Authorship is checked
        when publishing; some archive issues print no byline and stay editable.)"""
        return top_five_problems(list(self.stories.all()) if stories is None else stories)

    def publish_problems(self, stories=None, credits=None):
        """What stands between this issue and publication, in words an editor understands."""
        stories = list(self.stories.all()) if stories is None else stories
        credits = list(self.credits.all()) if credits is None else credits
        return top_five_problems(stories) + credit_problems(credits)

    @transaction.atomic
    def publish(self, at=None):
        """Publish now, or at a given time; refused with the checklist's problems."""
        problems = self.publish_problems()
        if problems:
            raise ValidationError(problems)
        self.status = self.Status.PUBLISHED
        self.publish_at = at or timezone.now()
        self.save(update_fields=["status", "publish_at", "updated_at"])

    def unpublish(self):
        self.status = self.Status.DRAFT
        self.publish_at = None
        self.save(update_fields=["status", "publish_at", "updated_at"])


def top_five_problems(stories):
    """The Top 5 part of the publish checklist, for saved or unsaved stories alike."""
    problems = []
    positions = sorted(story.position for story in stories if story.position)
    if positions != list(TOP_FIVE):
        missing = [str(p) for p in TOP_FIVE if p not in positions]
        message = f"The Top 5 needs exactly five stories in positions 1–5; it has {len(stories)}."
        if missing:
            message += f" Missing position {', '.join(missing)}."
        problems.append(message)
    for story in sorted(stories, key=lambda story: story.position or 0):
        missing = story.missing_fields()
        if missing:
            problems.append(f"Story {story.position}: missing {', '.join(missing)}.")
    return problems


def credit_problems(credits):
    if not any(credit.role == Credit.Role.AUTHOR for credit in credits):
        return ["Credits: at least one author is needed."]
    return []


class PolicyDocument(models.Model):
    """A policy document discussed by one or more Top 5 stories."""

    class Label(models.TextChoices):
        POLICY_NAME = "Policy name"
        ARTICLE = "Article"
        ARTICLE_NAME = "Article name"

    label = models.CharField(
        "kind label",
        max_length=20,
        choices=Label,
        blank=True,
        help_text="As printed before the title; leave empty where none is printed.",
    )
    title_en = models.TextField("English title", blank=True)
    title_zh = models.TextField("Chinese title", blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    issuer_note = models.CharField(
        max_length=200, blank=True, help_text="Printed after the agencies, e.g. “via CAAM”."
    )
    agencies = models.ManyToManyField(
        Agency, through="DocumentAgency", related_name="documents", blank=True
    )

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_en="") | ~models.Q(title_zh=""),
                name="document_has_a_title",
                violation_error_message="Give the document an English or a Chinese title.",
            ),
        ]

    def __str__(self):
        title = self.title_en or self.title_zh
        if len(title) > 90:
            title = title[:89] + "…"
        return f"{title} ({self.date:%b %d, %Y})" if self.date else title

    def get_absolute_url(self):
        return reverse("briefings:document", kwargs={"pk": self.pk})


class DocumentAgency(models.Model):
    """An agency issuing a document, in the order the briefing prints them."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="issuers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="issued")
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "issuing agency"
        verbose_name_plural = "issuing agencies"
        constraints = [
            models.UniqueConstraint(fields=["document", "agency"], name="document_agency_once"),
        ]

    def __str__(self):
        return self.agency.abbreviation


class Story(models.Model):
    """One of an issue's Top 5 policy stories."""

    # What an editor writes, in the order of the page (forms and spreadsheets use it).
    CONTENT_FIELDS = [
        "position",
        "headline",
        "glance_intro",
        "glance_bullets",
        "glance_outro",
        "comment",
        "box_title",
        "box_body",
        "document",
    ]

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="stories")
    # Nullable only so that a reorder can park rows while positions are swapped; forms
    # require it, and the check constraint keeps it within 1–5.
    position = models.PositiveSmallIntegerField(null=True, choices=[(p, p) for p in TOP_FIVE])
    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, blank=True)
    glance_intro = models.TextField(
        "At a glance",
        blank=True,
        help_text="The summary before the targets. Markdown: paragraphs, links, *emphasis*.",
    )
    glance_bullets = models.TextField(
        "targets",
        blank=True,
        help_text="The bullet-point targets, one per line.",
    )
    glance_outro = models.TextField(
        "closing paragraph", blank=True, help_text="Printed after the targets, if any."
    )
    comment = models.TextField(
        blank=True,
        help_text="The analysts’ comment. Markdown: paragraphs, lists, links, *emphasis*.",
    )
    box_title = models.CharField(
        "box heading", max_length=300, blank=True, help_text="An optional boxed explainer."
    )
    box_body = models.TextField("box text", blank=True)
    document = models.ForeignKey(
        PolicyDocument,
        on_delete=models.PROTECT,
        related_name="stories",
        null=True,
        blank=True,
        help_text="The policy document the story discusses.",
    )
    # Rendered once from the Markdown above (see `render`), never typed.
    glance_intro_html = models.TextField(blank=True, editable=False)
    bullets_html = models.TextField(blank=True, editable=False)
    glance_outro_html = models.TextField(blank=True, editable=False)
    comment_html = models.TextField(blank=True, editable=False)
    box_body_html = models.TextField(blank=True, editable=False)
    words = models.PositiveIntegerField(default=0, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["issue_id", "position"]
        verbose_name = "Top 5 story"
        verbose_name_plural = "Top 5 stories"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "position"],
                name="story_position_unique_in_issue",
                violation_error_message="Each position in the Top 5 holds one story.",
            ),
            models.UniqueConstraint(
                fields=["issue", "slug"],
                name="story_slug_unique_in_issue",
                violation_error_message="Another story of this issue has this slug.",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=5),
                name="story_position_1_to_5",
                violation_error_message="A Top 5 position is between 1 and 5.",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.headline}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.render()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.RENDERED_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_address("briefings:story", issue_slug=self.issue.slug, slug=self.slug)

    RENDERED_FIELDS = [
        "glance_intro_html",
        "bullets_html",
        "glance_outro_html",
        "comment_html",
        "box_body_html",
        "words",
    ]

    def render(self):
        """Render the Markdown fields to sanitised HTML and count the words, once."""
        self.glance_intro_html = render_markdown(self.glance_intro)
        self.bullets_html = "".join(f"<li>{render_inline(bullet)}</li>" for bullet in self.bullets)
        self.glance_outro_html = render_markdown(self.glance_outro)
        self.comment_html = render_markdown(self.comment)
        self.box_body_html = render_markdown(self.box_body)
        texts = [self.headline, self.glance_intro, self.glance_bullets, self.glance_outro]
        texts += [self.comment, self.box_title, self.box_body]
        self.words = sum(len(plain_text(text).split()) for text in texts if text)

    def _unique_slug(self):
        others = Story.objects.filter(issue_id=self.issue_id).exclude(pk=self.pk)
        return unique_slug(others, self.headline, max_length=114, fallback="story")

    @property
    def bullets(self):
        return [line.strip() for line in self.glance_bullets.splitlines() if line.strip()]

    def missing_fields(self):
        """Names of what the publish checklist needs and this story lacks."""
        missing = []
        if not self.headline.strip():
            missing.append("headline")
        if not self.glance_intro.strip():
            missing.append("At a glance")
        if not self.comment.strip():
            missing.append("comment")
        document = self.document
        if document is None:
            missing.append("policy document")
        else:
            if not (document.title_en.strip() or document.title_zh.strip()):
                missing.append("document title (English or Chinese)")
            if not document.issuers.exists():
                missing.append("issuing agency")
        return missing


class NoteworthyItem(models.Model):
    """A dated line of policy or corporate news in the Noteworthy section."""

    class Section(models.IntegerChoices):
        POLICY = 1, "Policy news"
        CORPORATE = 2, "Corporate news"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="noteworthy_items")
    section = models.PositiveSmallIntegerField(choices=Section, default=Section.POLICY)
    date = models.DateField()
    text = models.TextField(help_text="Markdown: links and *emphasis*.")
    position = models.PositiveSmallIntegerField(default=0)
    agencies = models.ManyToManyField(
        Agency,
        through="NoteworthyAgency",
        related_name="noteworthy_items",
        blank=True,
        help_text="Agencies whose documents the item cites.",
    )
    # Rendered once from `text` (see `render`), never typed.
    text_html = models.TextField(blank=True, editable=False)
    words = models.PositiveIntegerField(default=0, editable=False)

    objects = NoteworthyItemQuerySet.as_manager()

    class Meta:
        ordering = ["issue_id", "section", "position", "date", "id"]
        verbose_name = "noteworthy item"

    def __str__(self):
        text = plain_text(self.text)
        return f"{self.date:%b %d}: {text[:80]}{'…' if len(text) > 80 else ''}"

    RENDERED_FIELDS = ["text_html", "words"]

    def save(self, *args, **kwargs):
        self.render()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.RENDERED_FIELDS}
        super().save(*args, **kwargs)

    def render(self):
        self.text_html = render_inline(self.text)
        self.words = len(plain_text(self.text).split())

    def replace_sources(self, sources, *, fresh=False):
        """Make these sources (anything with label, language and optionally url) the
        item's, in order. `fresh` says the item has none yet, saving a query."""
        if not fresh:
            self.sources.all().delete()
        SourceLink.objects.bulk_create(
            SourceLink(
                item=self,
                label=source.label[:200],
                language=source.language,
                url=getattr(source, "url", ""),
                position=n,
            )
            for n, source in enumerate(sources, start=1)
        )


class NoteworthyAgency(models.Model):
    item = models.ForeignKey(NoteworthyItem, on_delete=models.CASCADE)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="citations")

    class Meta:
        verbose_name = "cited agency"
        verbose_name_plural = "cited agencies"
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], name="noteworthy_agency_once")
        ]

    def __str__(self):
        return self.agency.abbreviation


class SourceLink(models.Model):
    """A source of a noteworthy item, printed as e.g. “MIIT notice (CN)”."""

    class Language(models.TextChoices):
        CHINESE = "CN", "Chinese"
        ENGLISH = "EN", "English"
        OTHER = "other", "Other"
        __empty__ = "Not stated"

    item = models.ForeignKey(NoteworthyItem, on_delete=models.CASCADE, related_name="sources")
    label = models.CharField(max_length=200)
    language = models.CharField(max_length=10, choices=Language, blank=True)
    url = models.URLField("address", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.label} ({self.language})" if self.language else self.label


class Credit(models.Model):
    """A person credited on an issue, with the role title printed in that issue."""

    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        CONTRIBUTOR = "contributor", "With support from"
        EDITOR = "editor", "Editor"

    HEADINGS = {
        Role.AUTHOR: "Authors",
        Role.CONTRIBUTOR: "With support from",
        Role.EDITOR: "Editors",
    }

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=20, choices=Role, default=Role.AUTHOR)
    role_title = models.CharField(
        max_length=200, blank=True, help_text="As printed in this issue, e.g. “Junior Analyst”."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["issue_id", "role", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "person", "role"], name="credit_once_per_role"
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class IssueTransition(models.Model):
    """A step of an issue through the workflow: who moved it, when, from where to where."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="transitions")
    # Steps of pending changes to a live issue leave the state as it is and say what
    # happened instead, e.g. “changes published”.
    action = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    publish_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = "at"

    def __str__(self):
        return self.action or f"{self.from_state} → {self.to_state}"


class ShareLink(models.Model):
    """A revocable, expiring link that lets a reviewer without an account read one issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Share link for {self.issue} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


def author_name(user) -> str:
    """Who made a change: a person's name, or the system for management commands."""
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


class Via(models.TextChoices):
    """How a change came in."""

    ADMIN = "admin", "admin"
    SPREADSHEET = "spreadsheet", "spreadsheet"
    IMPORTER = "importer", "importer"
    RESTORE = "restore", "restore"
    WORKFLOW = "workflow", "workflow"
    SYSTEM = "system", "system"


class Revision(models.Model):
    """The whole content of an issue after one change: its fields, stories with their
    documents, noteworthy items with sources and cited agencies, and credits, as plain
    data (see apps.briefings.content). Written only by apps.briefings.editing."""

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        PENDING = "pending", "Pending changes"
        PUBLISHED = "published", "Published changes"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    via = models.CharField(max_length=20, choices=Via)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SAVED)
    summary = models.TextField(blank=True)
    content = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        indexes = [models.Index(fields=["issue", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M} by {self.author}"

    @property
    def author(self):
        return author_name(self.user)


class Correction(models.Model):
    """A note to readers, shown on the issue, of a change published after the issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="corrections")
    published_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()

    class Meta:
        ordering = ["published_at", "id"]

    def __str__(self):
        return f"Updated {self.published_at:%Y-%m-%d}: {self.note[:60]}"


class RecordChange(models.Model):
    """A change to a shared record (a policy document, an agency or a person): who, when,
    how, and the record before and after. Shown in the history of each issue showing it."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=20, choices=Via)
    before = models.JSONField(null=True, blank=True)  # None: the record was created
    after = models.JSONField(null=True, blank=True)  # None: the record was deleted

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.object_repr} changed {self.at:%Y-%m-%d %H:%M}"

    @property
    def author(self):
        return author_name(self.user)


class MovedPage(models.Model):
    """A public address that moved: a changed issue or story slug, a merged document.
    Its old address answers with a permanent redirect to the new one."""

    old_path = models.CharField(max_length=300, unique=True)
    new_path = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"


def random_start() -> int:
    return secrets.randbits(48)


class ContentVersion(models.Model):
    """The version of everything readers see, where there is no Redis to keep it: one row,
    bumped in the same transaction as every change readers will see (see
    apps.briefings.contentversion)."""

    # A random start, so that a new or restored database never takes up numbers that
    # pages were cached under before.
    number = models.PositiveBigIntegerField(default=random_start)
    changed_at = models.DateTimeField(default=timezone.now)
    # The next scheduled issue's time: the version moves on by itself then.
    next_change_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"content version {self.number}"


class Appearance(models.Model):
    """Where an agency or a person appears in published issues, for the tracker pages, the
    archive's filters and the agency feeds: read newest first through one index instead
    of joining documents, stories and issues. Kept by apps.briefings.trackers whenever
    published content changes."""

    class Kind(models.TextChoices):
        STORY = "story", "Top 5 story on a document the agency issued"
        ITEM = "item", "Noteworthy item citing the agency"
        CREDIT = "credit", "Credit"

    kind = models.CharField(max_length=8, choices=Kind)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="+")
    # Ids, not foreign keys: rows of a live issue are rewritten with the same ids when
    # pending changes are saved, and this index must not lose them then.
    story_pk = models.PositiveBigIntegerField(null=True, blank=True)
    item_pk = models.PositiveBigIntegerField(null=True, blank=True)
    credit_pk = models.PositiveBigIntegerField(null=True, blank=True)
    section = models.PositiveSmallIntegerField(null=True, blank=True)  # of an item
    # Orders rows of the same date, newest first, in the index itself: stories by issue
    # then position, items by item, credits by issue (see trackers.rows_for).
    sort = models.BigIntegerField(default=0)
    date = models.DateField()  # the issue's publication date; an item's own date
    publish_at = models.DateTimeField()  # the issue's: shown once it has come

    class Meta:
        indexes = [
            models.Index(fields=["agency", "kind", "-date", "-sort"], name="appearance_agency"),
            models.Index(fields=["person", "-date", "-sort"], name="appearance_person"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} in issue {self.issue_id}"
