"""The audit hash chain: two columns filled by clinic.audit.seal_pending(), and on PostgreSQL
a trigger that allows exactly that one update.

Rows are inserted unsealed; sealing sets chain_seq and chain_hash once, changing nothing else.
Any other UPDATE, any DELETE, and an INSERT of a row that claims to be sealed are refused.
"""

from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION clinic_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.chain_seq IS NULL AND NEW.chain_hash IS NULL THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: rows are inserted unsealed';
    END IF;
    -- Sealing: an unsealed row gets both chain columns; every other column stays as it was
    -- (compared as JSON so that a column added later is covered without changing this).
    IF TG_OP = 'UPDATE'
       AND OLD.chain_seq IS NULL AND OLD.chain_hash IS NULL
       AND NEW.chain_seq IS NOT NULL AND NEW.chain_hash IS NOT NULL
       AND (to_jsonb(NEW) - 'chain_seq' - 'chain_hash')
           = (to_jsonb(OLD) - 'chain_seq' - 'chain_hash')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clinic_auditevent_insert_unsealed
    BEFORE INSERT ON clinic_auditevent
    FOR EACH ROW EXECUTE FUNCTION clinic_auditevent_append_only();
"""

# 0003's function, for migrating backwards.
TRIGGER_0003 = """
DROP TRIGGER IF EXISTS clinic_auditevent_insert_unsealed ON clinic_auditevent;
CREATE OR REPLACE FUNCTION clinic_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_0003)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0004_audit_actions_security")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("chain_hash__isnull", True)),
                fields=["id"],
                name="clinic_audit_unsealed",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("chain_hash__isnull", True), ("chain_seq__isnull", True)),
                    models.Q(("chain_hash__isnull", False), ("chain_seq__isnull", False)),
                    _connector="OR",
                ),
                name="clinic_audit_sealed_whole",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
