from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Membership staff"
CODENAMES = ["view_all_memberships", "change_all_memberships"]


def load(apps, schema_editor):
    # Permissions are normally made after migrating; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="members", codename__in=CODENAMES)
    )


def unload(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_personal_data_access_and_register_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(load, unload)]
