"""Charges are written once: on PostgreSQL the database refuses any UPDATE or DELETE of a
charge or a charge line (corrections are adjustment lines, inserted). The roles get their
permissions: the front desk and clinic admins see charges; adding one is the services'.
"""

from django.db import migrations

from clinic.roles import grant

FUNCTION = """
CREATE OR REPLACE FUNCTION intake_charge_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'charges never change once made: add an adjustment line';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER intake_charge_append_only BEFORE UPDATE OR DELETE ON intake_charge
    FOR EACH ROW EXECUTE FUNCTION intake_charge_append_only();
CREATE TRIGGER intake_chargeline_append_only BEFORE UPDATE OR DELETE ON intake_chargeline
    FOR EACH ROW EXECUTE FUNCTION intake_charge_append_only();
"""

SEE = ["intake.view_charge", "intake.view_chargeline"]
ROLE_PERMISSIONS = {"Front desk": SEE, "Clinic admin": SEE, "Clinician": SEE}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS intake_chargeline_append_only ON intake_chargeline;"
    )
    schema_editor.execute("DROP TRIGGER IF EXISTS intake_charge_append_only ON intake_charge;")
    schema_editor.execute("DROP FUNCTION IF EXISTS intake_charge_append_only();")


class Migration(migrations.Migration):
    dependencies = [("intake", "0035_charges"), ("clinic", "0002_staff_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
