"""The charge line's amount is compared rounded to the cent: SQLite multiplies decimals as
floats, so 3 x 38.10 (114.30000000000001) failed the exact check and signing a note was
refused. SQLite rebuilds the table to change a check, and a trigger that names the table
(0038's allocation limit) would break the rebuild: it is dropped first and made again."""

import django.db.models.expressions
import django.db.models.functions.math
from django.conf import settings
from django.db import migrations, models

from intake.migrations import _sqlite_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0038_payments_stay_within_charges'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_sqlite_triggers.drop, _sqlite_triggers.create),
        migrations.RemoveConstraint(
            model_name='chargeline',
            name='charge_line_amount_is_units_times_price',
        ),
        migrations.AddConstraint(
            model_name='chargeline',
            constraint=models.CheckConstraint(condition=models.Q(('adjusts__isnull', False), ('amount', django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('units'), '*', models.F('unit_price')), 2)), _connector='OR'), name='charge_line_amount_is_units_times_price'),
        ),
        migrations.RunPython(_sqlite_triggers.create, _sqlite_triggers.drop),
    ]
