"""The database keeps the money straight, on PostgreSQL and on the embedded SQLite alike: an
allocation never takes a charge past the sum of its lines, nor a payment past its amount (a
trigger before each insert: a check constraint cannot add up rows). On PostgreSQL payments
and allocations are append-only like charges, and the trigger locks the charge and the
payment first, so two allocations at once cannot both slip under the limit. The front desk
takes payments; clinic admins see them.
"""

from django.db import migrations

from clinic.roles import grant
from intake.migrations import _sqlite_triggers

POSTGRESQL = """
CREATE OR REPLACE FUNCTION intake_allocation_within() RETURNS trigger AS $$
DECLARE
    charged numeric;
    allocated numeric;
    paid numeric;
    used numeric;
BEGIN
    PERFORM 1 FROM intake_charge WHERE id = NEW.charge_id FOR UPDATE;
    PERFORM 1 FROM intake_payment WHERE id = NEW.payment_id FOR UPDATE;
    SELECT COALESCE(SUM(amount), 0) INTO charged FROM intake_chargeline
        WHERE charge_id = NEW.charge_id;
    SELECT COALESCE(SUM(amount), 0) INTO allocated FROM intake_allocation
        WHERE charge_id = NEW.charge_id;
    IF allocated + NEW.amount > charged THEN
        RAISE EXCEPTION 'allocation exceeds what charge %% is owed', NEW.charge_id;
    END IF;
    SELECT amount INTO paid FROM intake_payment WHERE id = NEW.payment_id;
    SELECT COALESCE(SUM(amount), 0) INTO used FROM intake_allocation
        WHERE payment_id = NEW.payment_id;
    IF used + NEW.amount > paid THEN
        RAISE EXCEPTION 'allocation exceeds what payment %% brought', NEW.payment_id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER intake_allocation_within BEFORE INSERT ON intake_allocation
    FOR EACH ROW EXECUTE FUNCTION intake_allocation_within();
CREATE TRIGGER intake_payment_append_only BEFORE UPDATE OR DELETE ON intake_payment
    FOR EACH ROW EXECUTE FUNCTION intake_charge_append_only();
CREATE TRIGGER intake_allocation_append_only BEFORE UPDATE OR DELETE ON intake_allocation
    FOR EACH ROW EXECUTE FUNCTION intake_charge_append_only();
"""

SQLITE = _sqlite_triggers.ALLOCATION_LIMIT  # shared with migrations that rebuild a table

ROLE_PERMISSIONS = {
    "Front desk": [
        "intake.view_payment",
        "intake.add_payment",
        "intake.view_allocation",
        "intake.add_allocation",
    ],
    "Clinic admin": ["intake.view_payment", "intake.view_allocation"],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS intake_allocation_within;")
    if vendor != "postgresql":
        return
    for statement in (
        "DROP TRIGGER IF EXISTS intake_allocation_within ON intake_allocation;",
        "DROP TRIGGER IF EXISTS intake_payment_append_only ON intake_payment;",
        "DROP TRIGGER IF EXISTS intake_allocation_append_only ON intake_allocation;",
        "DROP FUNCTION IF EXISTS intake_allocation_within();",
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intake", "0037_payments"), ("intake", "0036_charges_are_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
