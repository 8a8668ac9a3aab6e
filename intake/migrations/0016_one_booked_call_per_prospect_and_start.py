import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0015_discovery_call_reminders_and_duplicates")]

    operations = [
        migrations.AddConstraint(
            model_name="discoverycall",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                models.F("phone"),
                models.F("start"),
                condition=models.Q(("status", "booked")),
                name="one_booked_call_per_prospect_and_start",
            ),
        ),
    ]
