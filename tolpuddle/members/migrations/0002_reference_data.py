from django.db import migrations

NATIONS = [("England", "ENG"), ("Wales", "WLS"), ("Northern Ireland", "NIR"), ("Scotland", "SCT")]
ROLES = [
    ("workplace-rep", "Workplace rep", "workplace"),
    ("health-and-safety-rep", "Health and safety rep", "workplace"),
    ("learning-rep", "Learning rep", "workplace"),
    ("equality-rep", "Equality rep", "workplace"),
    ("branch-chair", "Branch chair", "branch"),
    ("branch-secretary", "Branch secretary", "branch"),
    ("branch-treasurer", "Branch treasurer", "branch"),
    ("branch-membership-officer", "Branch membership officer", "branch"),
    ("national-executive-member", "National executive member", "national"),
]


def load(apps, schema_editor):
    Nation = apps.get_model("members", "Nation")
    Role = apps.get_model("members", "Role")
    Sequence = apps.get_model("members", "MembershipNumberSequence")
    for name, code in NATIONS:
        Nation.objects.get_or_create(code=code, defaults={"name": name})
    for slug, name, scope in ROLES:
        Role.objects.get_or_create(slug=slug, defaults={"name": name, "scope": scope})
    Sequence.objects.get_or_create(name="membership", defaults={"last_value": 100000})


def unload(apps, schema_editor):
    apps.get_model("members", "Role").objects.filter(slug__in=[r[0] for r in ROLES]).delete()
    apps.get_model("members", "Nation").objects.filter(code__in=[n[1] for n in NATIONS]).delete()
    apps.get_model("members", "MembershipNumberSequence").objects.filter(name="membership").delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
