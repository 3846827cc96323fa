from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One searchable thing of a published issue — the issue, a Top 5 story, a noteworthy
    item — with its text by weight. Kept current by `apps.search.index` whenever published
    content changes. On PostgreSQL `vector` holds the weighted English words and the
    Chinese bigrams (GIN-indexed); elsewhere the texts are matched as they are."""

    class Kind(models.TextChoices):
        ISSUE = "issue", "Issue"
        STORY = "story", "Top 5 story"
        POLICY = "policy", "Policy news"
        CORPORATE = "corporate", "Corporate news"

    kind = models.CharField(max_length=12, choices=Kind)
    issue = models.ForeignKey("briefings.Issue", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # The issue's publication time: an entry is found once it has come.
    publish_at = models.DateTimeField()
    date = models.DateField()
    title = models.TextField()
    context = models.TextField(blank=True)
    url = models.CharField(max_length=400)
    text_a = models.TextField(blank=True)  # titles, headlines, document titles
    text_b = models.TextField(blank=True)  # standfirst, At a glance, noteworthy text
    text_c = models.TextField(blank=True)  # the comment
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["-date", "-id"], name="search_entry_newest")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
