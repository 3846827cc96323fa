from django.db import models
from django.db.models.functions import Lower

from apps.addresses import slug_address


class AgencyQuerySet(models.QuerySet):
    def abbreviated(self, abbreviation):
        """The agency of this abbreviation, in any case, found through the index that
        keeps abbreviations unique (`abbreviation__iexact` would read every row)."""
        return self.alias(key=Lower("abbreviation")).filter(
            key=Lower(models.Value(abbreviation, output_field=models.CharField()))
        )

    def get_by_natural_key(self, abbreviation):
        return self.abbreviated(abbreviation).get()

    def shown_in(self, issues):
        """Agencies that these issues show: issuing a document one of their stories
        discusses, or cited by one of their noteworthy items. `issues` is a queryset of
        issues, e.g. `Issue.objects.published()`."""
        return self.filter(
            models.Q(pk__in=issues.values("stories__document__issuers__agency"))
            | models.Q(pk__in=issues.values("noteworthy_items__agencies"))
        )


class Agency(models.Model):
    """A body that issues policy documents or is cited as a source: MIIT, NDRC, Xinhua."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Ministry or commission"
        PARTY = "party", "Party body"
        LOCAL = "local", "Provincial or municipal government"
        STATE_MEDIA = "media", "State media"
        OTHER = "other", "Other"

    abbreviation = models.CharField(
        max_length=80,
        help_text="As printed in the briefing, e.g. MIIT, NDRC, State Council.",
    )
    name_en = models.CharField("English name", max_length=255, blank=True)
    name_zh = models.CharField("Chinese name", max_length=255, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.MINISTRY)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["abbreviation"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                Lower("abbreviation"),
                name="agency_abbreviation_unique_ci",
                violation_error_message="An agency with this abbreviation already exists.",
            ),
        ]

    def __str__(self):
        if self.name_en and self.name_en != self.abbreviation:
            return f"{self.abbreviation} ({self.name_en})"
        return self.abbreviation

    def get_absolute_url(self):
        return slug_address("agencies:detail", slug=self.slug)

    def natural_key(self):
        return (self.abbreviation,)
