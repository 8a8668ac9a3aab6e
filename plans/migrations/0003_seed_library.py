from django.db import migrations


def forwards(apps, schema_editor):
    from plans.seeding import seed_library

    seed_library(apps.get_model("plans", "Exercise"), apps.get_model("plans", "PlanRuleRow"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_role_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
