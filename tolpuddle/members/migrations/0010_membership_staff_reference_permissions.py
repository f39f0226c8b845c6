from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Membership staff"
# HQ membership staff manage the register's reference data in the back office
# ("Register settings"); which roles exist is fixed by the code, so roles are
# theirs to see only.
MANAGED = [
    "nation",
    "region",
    "branch",
    "employer",
    "employersuccession",
    "workplace",
    "subscriptionrate",
]
ACTIONS = ["add", "change", "delete", "view"]
CODENAMES = [f"{action}_{model}" for model in MANAGED for action in ACTIONS] + [
    "view_role"
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="members", codename__in=CODENAMES
    )


def load(apps, schema_editor):
    # Permissions are normally made after migrating; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def unload(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_sign_in_event_kinds"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(load, unload)]
