from django.core.exceptions import ValidationError
from django.db import models

from apps.addresses import slug_address
from apps.images import CheckedImageField


class PersonQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def shown_in(self, issues):
        """People credited on these issues (a queryset, e.g. `Issue.objects.published()`)."""
        return self.filter(pk__in=issues.values("credits__person"))


class Person(models.Model):
    """Someone credited on an issue: an author, a contributor or an editor."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    role_title = models.CharField(
        max_length=200, blank=True, help_text="Current role, e.g. “Analyst”."
    )
    organisation = models.CharField(max_length=200, blank=True, default="MERICS")
    bio = models.TextField("short bio", blank=True)
    photo = CheckedImageField(upload_to="people/", blank=True)
    photo_alt = models.CharField("photo alt text", max_length=255, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("people:detail", slug=self.slug)

    def clean(self):
        if self.photo and not self.photo_alt:
            raise ValidationError(
                {"photo_alt": "Describe the photo for readers who can’t see it."}
            )

    def natural_key(self):
        return (self.slug,)
