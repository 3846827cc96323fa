"""Spreadsheet import and export (django-import-export) of agencies, people, policy
documents, Top 5 stories and noteworthy items, in CSV, XLSX and JSON.

Rows are matched by natural keys — agency abbreviation (in any case), person slug, issue
slug + position for stories, issue slug + section + position for noteworthy items — so
importing the file one exported changes nothing. Every error names its row and column;
with any error, nothing is saved.

Imports write through the editing layer (`via="spreadsheet"`): rows of an issue are one
change of that issue (its version bumped, a revision recorded, the rules of its state
kept; a live issue's rows become its pending changes), and a row of a shared record is a
recorded change of that record, refused to contributors once a published issue shows it.
"""

import copy

from django.core.exceptions import ValidationError
from django.db.models import CharField, TextField
from django.db.models.functions import Lower
from import_export import fields, resources, widgets

from apps.agencies.models import Agency
from apps.people.models import Person

from . import editing
from .models import (
    DocumentAgency,
    Issue,
    NoteworthyAgency,
    NoteworthyItem,
    PolicyDocument,
    Story,
    Via,
)
from .sources import Source, parse_sources

SEPARATOR = "; "


class AgencyListWidget(widgets.Widget):
    """Agencies by abbreviation, “MIIT; NDRC”, in order; unknown ones are an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = None  # {lower-case abbreviation: agency}, filled for a whole import

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in str(value or "").replace(",", ";").split(";")]
        names = [name for name in names if name]
        found = self.known
        if found is None:
            found = {
                agency.abbreviation.lower(): agency
                for agency in Agency.objects.annotate(key=Lower("abbreviation")).filter(
                    key__in=[name.lower() for name in names]
                )
            }
        unknown = [name for name in names if name.lower() not in found]
        if unknown:
            raise ValueError(f"Unknown agency: {', '.join(unknown)}. Add it first.")
        return [found[name.lower()] for name in names]

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(agency.abbreviation for agency in value or [])


class SectionWidget(widgets.Widget):
    """A noteworthy section as “Policy news”/“Corporate news” (or 1/2, policy/corporate)."""

    NAMES = {"1": 1, "policy": 1, "policy news": 1, "2": 2, "corporate": 2, "corporate news": 2}

    def clean(self, value, row=None, **kwargs):
        key = str(value or "").strip().lower().removesuffix(".0")
        if key not in self.NAMES:
            raise ValueError("Use “Policy news” or “Corporate news”.")
        return self.NAMES[key]

    def render(self, value, obj=None, **kwargs):
        return NoteworthyItem.Section(value).label if value else ""


class BriefingsResource(resources.ModelResource):
    """Shared behaviour: clean instances, skip unchanged rows, relations saved after the row."""

    relations = {}  # column name -> widget; values kept on the instance as _<column>

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Widgets hold caches for one import: each resource gets its own.
        self.relations = copy.deepcopy(type(self).relations)

    def import_data(self, dataset, **kwargs):
        # All or nothing: a file with any bad row saves none of its rows.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        if progress := kwargs.get("progress"):  # a background job's (apps.background)
            progress(kwargs["row_number"] - 1)
        # Spreadsheets leave empty cells empty (None); our text fields store "".
        for model_field in self._meta.model._meta.concrete_fields:
            name = model_field.name
            if isinstance(model_field, (CharField, TextField)) and row.get(name, "") is None:
                row[name] = ""

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        agencies = {agency.abbreviation.lower(): agency for agency in Agency.objects.all()}
        for widget in self.relations.values():
            if isinstance(widget, AgencyListWidget):
                widget.known = agencies

    def import_instance(self, instance, row, **kwargs):
        instance._new = instance.pk is None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for column, widget in self.relations.items():
            if column in row:
                try:
                    setattr(instance, f"_{column}", widget.clean(row[column], row=row))
                except (ValueError, ValidationError) as error:
                    errors[column] = ValidationError(
                        getattr(error, "messages", [str(error)]), code="invalid"
                    )
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if instance.pk and any(
            getattr(instance, f"_{column}", None) is not None
            and self.current(instance, column) != getattr(instance, f"_{column}")
            for column in self.relations
        ):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def current(self, instance, column):
        raise NotImplementedError

    def after_save_instance(self, instance, row, **kwargs):
        for column in self.relations:
            value = getattr(instance, f"_{column}", None)
            if value is not None:
                self.save_relation(instance, column, value)

    def save_relation(self, instance, column, value):
        raise NotImplementedError

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class SharedRecordResource(BriefingsResource):
    """Rows of shared records: each saved row is a recorded change of its record; a record
    that a published issue shows is changed by editors only."""

    key_column = "id"

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk and not editing.may_edit_record(getattr(self, "_user", None), instance):
            errors.setdefault(self.key_column, []).append(
                f"“{instance}” appears in published issues; only editors may change it."
            )
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._record_edit = editing.RecordEdit(
            instance, user=getattr(self, "_user", None), via=Via.SPREADSHEET
        ).begin()

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        instance._record_edit.finish()


class AgencyResource(SharedRecordResource):
    key_column = "abbreviation"

    class Meta(BriefingsResource.Meta):
        model = Agency
        fields = ("abbreviation", "name_en", "name_zh", "slug", "kind")
        import_id_fields = ("abbreviation",)

    def get_instance(self, instance_loader, row):
        return Agency.objects.abbreviated(str(row.get("abbreviation") or "").strip()).first()


class PersonResource(SharedRecordResource):
    key_column = "slug"

    class Meta(BriefingsResource.Meta):
        model = Person
        fields = ("slug", "name", "role_title", "organisation", "bio")
        import_id_fields = ("slug",)


class PolicyDocumentResource(SharedRecordResource):
    agencies = fields.Field(column_name="agencies")
    relations = {"agencies": AgencyListWidget()}

    class Meta(BriefingsResource.Meta):
        model = PolicyDocument
        fields = ("id", "label", "title_en", "title_zh", "url", "date", "issuer_note", "agencies")
        import_id_fields = ("id",)

    def dehydrate_agencies(self, document):
        return AgencyListWidget().render(self.current(document, "agencies"))

    def current(self, document, column):
        return [issuer.agency for issuer in document.issuers.select_related("agency")]

    def save_relation(self, document, column, agencies):
        document.issuers.all().delete()
        DocumentAgency.objects.bulk_create(
            DocumentAgency(document=document, agency=agency, position=n)
            for n, agency in enumerate(agencies, start=1)
        )


class IssueRowsResource(BriefingsResource):
    """Rows that belong to an issue, named by its slug. Published issues are changed only by
    editors, and a file may not name the same row twice."""

    class IssueWidget(widgets.ForeignKeyWidget):
        def __init__(self):
            super().__init__(Issue, "slug")
            self.known = {}  # {slug: issue}, filled for a whole import

        def clean(self, value, row=None, **kwargs):
            issue = self.known.get(str(value or "").strip())
            return issue if issue is not None else super().clean(value, row, **kwargs)

    issue = fields.Field(attribute="issue", column_name="issue", widget=IssueWidget())

    def before_import(self, dataset, **kwargs):
        # A few queries for the whole file instead of several for every row.
        super().before_import(dataset, **kwargs)
        self._seen = {}
        slugs = (
            {str(slug or "").strip() for slug in dataset["issue"]}
            if dataset.headers and ("issue" in dataset.headers)
            else set()
        )
        # Each issue the file names changes once, through the editing layer; a live issue's
        # rows are written to its pending content.
        self._changes = {}
        for issue in Issue.objects.filter(slug__in=slugs).order_by("pk"):
            if editing.may_edit(self._user, issue):
                self._changes[issue.slug] = editing.IssueChange(
                    issue, user=self._user, via=Via.SPREADSHEET, summary="Spreadsheet import."
                ).begin()
        issues = {
            issue.slug: issue for issue in Issue.objects.filter(slug__in=slugs).order_by("pk")
        }
        self.fields["issue"].widget.known = issues
        self._existing = {
            self.stored_key(obj): obj
            for obj in self._meta.model.objects.filter(issue__in=issues.values()).select_related(
                "issue"
            )
        }

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return  # nothing is kept
        result.pending_issues = []
        for slug, change in self._changes.items():
            try:
                change.finish()
            except ValidationError as error:
                raise ValidationError(
                    {"issue": [f"“{slug}”: {message}" for message in error.messages]}
                ) from error
            if change.pending and change.revision is not None:
                result.pending_issues.append(change.issue)

    def get_instance(self, instance_loader, row):
        try:
            return self._existing.get(self.row_key(row))
        except (ValueError, TypeError):
            return None  # the row's own validation says what is wrong

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        key = tuple(str(row.get(column, "")).strip() for column in self._meta.import_id_fields)
        row_number = kwargs.get("row_number")
        if key in self._seen:
            raise ValidationError(
                {self.key_column: f"Repeats row {self._seen[key]}: {self.describe(key)}."}
            )
        self._seen[key] = row_number
        slug = str(row.get("issue") or "").strip()
        issue = self.fields["issue"].widget.known.get(slug)
        if issue is None:
            raise ValidationError({"issue": f"No issue with the slug “{row.get('issue')}”."})
        if slug not in self._changes:
            raise ValidationError(
                {"issue": f"“{issue.slug}” is {issue.state}: only editors may change it."}
            )


class StoryResource(IssueRowsResource):
    document = fields.Field(
        attribute="document",
        column_name="document",
        widget=widgets.ForeignKeyWidget(PolicyDocument, "pk"),
    )
    key_column = "position"

    class Meta(BriefingsResource.Meta):
        model = Story
        fields = ("issue", *Story.CONTENT_FIELDS)
        import_id_fields = ("issue", "position")

    def describe(self, key):
        return f"issue {key[0]}, position {key[1]}"

    # What the publish checklist misses, by the column that holds it.
    MISSING_COLUMNS = {
        "headline": "headline",
        "At a glance": "glance_intro",
        "comment": "comment",
        "policy document": "document",
        "document title (English or Chinese)": "document",
        "issuing agency": "document",
    }

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        issue = getattr(instance, "issue", None) if instance.issue_id else None
        if issue is not None and issue.status == Issue.Status.PUBLISHED and not errors:
            for missing in instance.missing_fields():
                errors.setdefault(self.MISSING_COLUMNS.get(missing, "position"), []).append(
                    f"“{issue.slug}” is published, so its stories must stay complete: "
                    f"this one would lack its {missing}."
                )
        if errors:
            raise ValidationError(errors)

    def stored_key(self, story):
        return (story.issue.slug, story.position)

    def row_key(self, row):
        return (str(row["issue"]).strip(), int(float(row["position"])))


class NoteworthyItemResource(IssueRowsResource):
    section = fields.Field(attribute="section", column_name="section", widget=SectionWidget())
    sources = fields.Field(column_name="sources")
    agencies = fields.Field(column_name="agencies")
    key_column = "position"

    class SourcesWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return parse_sources(str(value or ""))

    class CitedAgenciesWidget(AgencyListWidget):
        def clean(self, value, row=None, **kwargs):
            return sorted(super().clean(value, row), key=lambda agency: agency.abbreviation)

    relations = {"sources": SourcesWidget(), "agencies": CitedAgenciesWidget()}

    class Meta(BriefingsResource.Meta):
        model = NoteworthyItem
        fields = ("issue", "section", "position", "date", "text", "sources", "agencies")
        import_id_fields = ("issue", "section", "position")

    def describe(self, key):
        return f"issue {key[0]}, section {key[1]}, position {key[2]}"

    def stored_key(self, item):
        return (item.issue.slug, item.section, item.position)

    def row_key(self, row):
        section = SectionWidget().clean(row["section"])
        return (str(row["issue"]).strip(), section, int(float(row["position"])))

    def dehydrate_sources(self, item):
        sources = getattr(item, "_sources", None)  # as just imported, saving a query
        if sources is None:
            sources = self.current(item, "sources")
        return SEPARATOR.join(str(source) for source in sources)

    def dehydrate_agencies(self, item):
        agencies = getattr(item, "_agencies", None)
        if agencies is None:
            agencies = self.current(item, "agencies")
        return AgencyListWidget().render(agencies)

    def current(self, item, column):
        if column == "sources":
            return [Source(s.label, s.language, s.url) for s in item.sources.all()]
        return list(item.agencies.order_by("abbreviation"))

    def save_relation(self, item, column, value):
        new = getattr(item, "_new", False)
        if column == "sources":
            item.replace_sources(value, fresh=new)
        elif new:
            NoteworthyAgency.objects.bulk_create(
                NoteworthyAgency(item=item, agency=agency) for agency in value
            )
        else:
            item.agencies.set(value)
