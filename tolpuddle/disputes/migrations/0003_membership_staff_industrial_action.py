from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Membership staff"
# HQ staff run the register and, with it, the union's disputes, statutory ballots,
# turnout and days of action (docs/disputes.md, "Who may see what").
GRANTED = [
    ("disputes", "view_all_disputes"),
    ("disputes", "manage_disputes"),
    ("turnout", "manage_turnout"),
    ("action", "manage_action"),
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in GRANTED:
        found += list(
            Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        )
    return found


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
        ("disputes", "0002_ballot_results_mandate_action_notices"),
        ("turnout", "0001_initial"),
        ("action", "0001_initial"),
        ("members", "0010_membership_staff_reference_permissions"),
    ]
    operations = [migrations.RunPython(load, unload)]
