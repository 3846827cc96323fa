"""Contributors and editors see (and may delete, once finished) the jobs they started."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Contributor", "Editor"]
CODENAMES = ["view_job", "delete_job"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("background")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="background", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="background", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("background", "0001_initial"),
        ("briefings", "0005_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
