"""The editorial roles, as groups: Contributor and Editor."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = ["story", "noteworthyitem", "credit", "sourcelink", "documentagency", "noteworthyagency"]

CONTRIBUTOR = [
    *(f"briefings.{action}_{model}" for model in EDITABLE for action in ("add", "change", "view", "delete")),
    *(f"briefings.{action}_issue" for action in ("add", "change", "view", "delete")),
    *(f"briefings.{action}_policydocument" for action in ("add", "change", "view")),
    *(f"briefings.{action}_sharelink" for action in ("add", "change", "view")),
    "briefings.view_issuetransition",
    *(f"agencies.{action}_agency" for action in ("add", "change", "view")),
    *(f"people.{action}_person" for action in ("add", "change", "view")),
]
EDITOR = [
    *CONTRIBUTOR,
    "briefings.publish_issue",
    "briefings.delete_policydocument",
    "briefings.delete_sharelink",
    "agencies.delete_agency",
    "people.delete_person",
]
ROLES = {"Contributor": CONTRIBUTOR, "Editor": EDITOR}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations have run; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for label in codenames:
            app_label, codename = label.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0004_workflow"),
        ("agencies", "0001_initial"),
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
