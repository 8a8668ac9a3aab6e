"""On PostgreSQL the database refuses changes to a signed evaluation and the rows it owns.

The models refuse too (intake/models/assessments.py); this also covers raw SQL and bulk
paths through the app's connection. Addenda stay insertable.
"""

from django.db import migrations

PARTS = [
    "intake_measurement",
    "intake_specialtest",
    "intake_gaitanalysis",
    "intake_gaitmedia",
    "intake_outcomeresponse",
    "intake_diagnosis",
    "intake_goal",
    "intake_goalreview",
]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION intake_evaluation_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.signed_at IS NOT NULL THEN
        RAISE EXCEPTION 'evaluation %% is signed and cannot be changed', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION intake_evaluation_part_frozen() RETURNS trigger AS $$
DECLARE
    eval_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN eval_id := OLD.evaluation_id; ELSE eval_id := NEW.evaluation_id; END IF;
    IF EXISTS (SELECT 1 FROM intake_evaluation WHERE id = eval_id AND signed_at IS NOT NULL)
       OR (TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM intake_evaluation WHERE id = OLD.evaluation_id AND signed_at IS NOT NULL))
    THEN
        RAISE EXCEPTION 'evaluation %% is signed and cannot be changed', eval_id;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER intake_evaluation_frozen BEFORE UPDATE OR DELETE ON intake_evaluation
    FOR EACH ROW EXECUTE FUNCTION intake_evaluation_frozen();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for table in PARTS:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION intake_evaluation_part_frozen();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in [*PARTS, "intake_evaluation"]:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS intake_evaluation_part_frozen();")
    schema_editor.execute("DROP FUNCTION IF EXISTS intake_evaluation_frozen();")


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_evaluations")]

    operations = [migrations.RunPython(forwards, backwards)]
