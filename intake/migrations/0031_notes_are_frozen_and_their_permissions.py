"""Treatment notes: the catalogue's defaults learn what a note records about them, the
clinicians get the permissions, and on PostgreSQL the database refuses changes to a signed
note and the rows it owns (as migration 0006 does for evaluations). Addenda stay insertable.
"""

from django.db import migrations

from clinic.roles import grant
from intake.note_interventions import DEFAULT_KINDS

PARTS = ["intake_deliveredintervention", "intake_goalprogress"]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION intake_note_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'treatment note %% is signed and cannot be changed', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION intake_note_part_frozen() RETURNS trigger AS $$
DECLARE
    owner_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN owner_id := OLD.note_id; ELSE owner_id := NEW.note_id; END IF;
    IF EXISTS (SELECT 1 FROM intake_treatmentnote WHERE id = owner_id AND signed_at IS NOT NULL)
       OR (TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM intake_treatmentnote WHERE id = OLD.note_id AND signed_at IS NOT NULL))
    THEN
        RAISE EXCEPTION 'treatment note %% is signed and cannot be changed', owner_id;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER intake_treatmentnote_frozen BEFORE UPDATE OR DELETE ON intake_treatmentnote
    FOR EACH ROW EXECUTE FUNCTION intake_note_frozen();
"""

NOTES = ["intake.view_treatmentnote", "intake.add_treatmentnote", "intake.change_treatmentnote"]
CONSENTS = [
    "intake.view_treatmentconsent",
    "intake.add_treatmentconsent",
    "intake.change_treatmentconsent",
]
ROLE_PERMISSIONS = {"Clinician": NOTES + CONSENTS + ["intake.add_noteaddendum"]}


def forwards(apps, schema_editor):
    InterventionType = apps.get_model("intake", "InterventionType")
    for key, kind in DEFAULT_KINDS.items():
        InterventionType.objects.filter(key=key, details_kind="").update(details_kind=kind)
    grant(apps, ROLE_PERMISSIONS)
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for table in PARTS:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION intake_note_part_frozen();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in [*PARTS, "intake_treatmentnote"]:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS intake_note_part_frozen();")
    schema_editor.execute("DROP FUNCTION IF EXISTS intake_note_frozen();")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0030_treatment_notes"),
        ("clinic", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
