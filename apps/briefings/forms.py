from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from apps.agencies.models import Agency

from . import editing
from .importer.parse import decode
from .models import Issue, NoteworthyItem, Story, top_five_problems
from .sources import format_sources, parse_sources
from .widgets import SafeAutocompleteSelectMultiple, could_be


class TextField(forms.CharField):
    """Text with the line breaks stored as "\n", whatever the browser sends: browsers
    submit a textarea's lines joined by "\r\n", which would make every save look like a
    change to every multi-line field."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


TEXT_FIELDS = {models.TextField: {"form_class": TextField}}


class KeepsWhatItShowed:
    """A form that sends back, beside each text field in `compared_fields`, the value it
    showed when it was opened (Django's `show_hidden_initial`): after a refused stale save,
    `admin.conflicts` tells my changes from theirs with it."""

    compared_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.compared_fields:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True


class IssueForm(KeepsWhatItShowed, forms.ModelForm):
    """The issue's own fields, refusing to save over a version someone else saved since
    this form was opened (optimistic concurrency, for inline changes too: every save of
    an issue in the admin bumps its version)."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    compared_fields = ("title", "standfirst", "hero_alt", "hero_caption", "hero_credit",
                       "editorial_note")  # fmt: skip
    # Set by the admin on a form that comes back after a refused stale save, with the
    # fields both editors changed (`admin.conflicts`): that save is refused, once.
    conflicts = None

    class Meta:
        model = Issue
        fields = [
            "title",
            "slug",
            "publication_date",
            "standfirst",
            "hero_image",
            "hero_alt",
            "hero_caption",
            "hero_credit",
            "editorial_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.conflicts is not None:
            raise ValidationError(self.merged_message())
        if self.instance.pk:
            # Locked until the save commits, so two saves cannot both pass this check.
            current = (
                Issue.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned_data.get("loaded_version") != current:
                raise ValidationError(self.conflict_message())
        return cleaned_data

    def merged_message(self):
        both = len(self.conflicts)
        choose = (
            f" You both changed {both} field{'s' if both > 1 else ''}: choose below whether to "
            "keep yours or take theirs, then save again."
            if both
            else " Save again to keep the whole."
        )
        return (
            f"{editing.conflict_message(self.instance)} Their changes to what you did not "
            f"change are now in the form too.{choose}"
        )

    def conflict_message(self):
        history = reverse("admin:briefings_issue_history", args=[self.instance.pk])
        return format_html(
            '{} See <a href="{}">what changed</a>, then open the issue again and reapply '
            "your edits.",
            editing.conflict_message(self.instance),
            history,
        )


class IdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of records that refuses, with the field's own message, values that
    are no id at all before they reach the database (a number too large for it would fail
    the query)."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value:
            if not could_be(target, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class NoteworthyItemForm(KeepsWhatItShowed, forms.ModelForm):
    """A noteworthy item with its sources and cited agencies edited in the same row."""

    compared_fields = ("text", "sources")

    sources = TextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 34}),
        help_text="One per line: label, language, address, e.g. “MIIT notice (CN) https://…”.",
    )
    cited_agencies = IdsField(
        queryset=Agency.objects.all(),
        required=False,
        widget=SafeAutocompleteSelectMultiple(
            NoteworthyItem._meta.get_field("agencies"), admin.site
        ),
        label="Cited agencies",
    )

    class Meta:
        model = NoteworthyItem
        fields = ["section", "date", "text", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["sources"].initial = format_sources(self.instance.sources.all())
            self.fields["cited_agencies"].initial = list(self.instance.agencies.all())

    def clean_sources(self):
        self.parsed_sources = parse_sources(self.cleaned_data["sources"])
        return self.cleaned_data["sources"]

    def _save_m2m(self):
        super()._save_m2m()
        item = self.instance
        if "sources" in self.changed_data:
            item.replace_sources(self.parsed_sources)
        if "cited_agencies" in self.changed_data:
            item.agencies.set(self.cleaned_data["cited_agencies"])


class StoryForm(KeepsWhatItShowed, forms.ModelForm):
    compared_fields = ("headline", "glance_intro", "glance_bullets", "glance_outro", "comment",
                       "box_title", "box_body")  # fmt: skip

    class Meta:
        model = Story
        fields = Story.CONTENT_FIELDS

    def validate_constraints(self):
        # A position may be taken in the database by a story that this same save moves
        # away: positions are checked across the whole Top 5 by StoryFormSet instead.
        try:
            self.instance.validate_constraints(
                exclude=self._get_validation_exclusions() | {"position"}
            )
        except ValidationError as error:
            self._update_errors(error)


def kept_instances(formset) -> list:
    """The records a cleaned formset would leave: its saved ones and its filled-in new
    ones, less those marked for deletion, each with what its form holds (unsaved)."""
    return [
        form.instance
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if not formset._should_delete_form(form)
    ]


class StoryFormSet(forms.BaseInlineFormSet):
    """The Top 5 of an issue: checked against the publish checklist while the issue is
    published, and saved so that stories can swap positions."""

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.status != Issue.Status.PUBLISHED:
            return
        problems = top_five_problems(kept_instances(self))
        if problems:
            raise ValidationError(
                ["This issue is published, so its Top 5 must stay complete.", *problems]
            )

    def save_existing_objects(self, commit=True):
        # Park the stories that move or go so that a swap of positions never collides
        # with the unique (issue, position) constraint halfway through the save.
        parked = [
            form.instance.pk
            for form in self.initial_forms
            if "position" in form.changed_data or self._should_delete_form(form)
        ]
        if commit and parked:
            Story.objects.filter(pk__in=parked).update(position=None)
        return super().save_existing_objects(commit)


class ImportBriefingForm(forms.Form):
    EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".html", ".htm")

    file = forms.FileField(
        required=False,
        help_text="Plain text, Markdown or a web page saved from a browser "
        "(.txt, .md, .html), at most 2 MB.",
        label="Briefing file",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        label="Or paste its text",
        strip=False,
    )
    name = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)
    replace = forms.BooleanField(
        required=False, label="Replace an earlier import of the same briefing"
    )

    def clean(self):
        cleaned_data = super().clean()
        upload, text = cleaned_data.get("file"), cleaned_data.get("text", "")
        if bool(upload) == bool(text.strip()):
            raise ValidationError("Upload a file or paste the text, one of the two.")
        if upload:
            if not upload.name.lower().endswith(self.EXTENSIONS):
                raise ValidationError("Upload a .txt, .md or .html file.")
            if upload.size > 2 * 1024 * 1024:
                raise ValidationError("The file is larger than 2 MB; a briefing is far smaller.")
            cleaned_data["data"], cleaned_data["name"] = upload.read(), upload.name
        else:
            cleaned_data["data"] = text.encode()
            cleaned_data["name"] = cleaned_data.get("name") or "pasted text"
        return cleaned_data

    def preview_initial(self):
        """The form again after a preview, holding the text, so that Import needs no
        second upload."""
        return {
            "text": decode(self.cleaned_data["data"]),
            "name": self.cleaned_data["name"],
            "replace": self.cleaned_data["replace"],
        }
