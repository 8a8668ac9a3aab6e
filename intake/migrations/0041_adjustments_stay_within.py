"""An adjustment line never takes a charge below zero nor below what is already paid on it,
checked by the database before each insert (PostgreSQL locks the charge first; SQLite's
trigger is in _sqlite_triggers). The front desk and clinic admins add adjustments."""

from django.db import migrations

from clinic.roles import grant
from intake.migrations import _sqlite_triggers

POSTGRESQL = """
CREATE OR REPLACE FUNCTION intake_chargeline_within() RETURNS trigger AS $$
DECLARE
    charged numeric;
    allocated numeric;
BEGIN
    IF NEW.adjusts_id IS NULL THEN
        RETURN NEW;
    END IF;
    PERFORM 1 FROM intake_charge WHERE id = NEW.charge_id FOR UPDATE;
    SELECT COALESCE(SUM(amount), 0) INTO charged FROM intake_chargeline
        WHERE charge_id = NEW.charge_id;
    SELECT COALESCE(SUM(amount), 0) INTO allocated FROM intake_allocation
        WHERE charge_id = NEW.charge_id;
    IF charged + NEW.amount < GREATEST(allocated, 0) THEN
        RAISE EXCEPTION 'an adjustment would take charge %% below what is paid on it',
            NEW.charge_id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER intake_chargeline_within BEFORE INSERT ON intake_chargeline
    FOR EACH ROW EXECUTE FUNCTION intake_chargeline_within();
"""

ADJUST = ["intake.add_chargeline"]
ROLE_PERMISSIONS = {"Front desk": ADJUST, "Clinic admin": ADJUST}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    _sqlite_triggers.create_adjustment(apps, schema_editor)


def backwards(apps, schema_editor):
    _sqlite_triggers.drop_adjustment(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        for statement in (
            "DROP TRIGGER IF EXISTS intake_chargeline_within ON intake_chargeline;",
            "DROP FUNCTION IF EXISTS intake_chargeline_within();",
        ):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intake", "0040_payment_form_token")]

    operations = [migrations.RunPython(forwards, backwards)]
