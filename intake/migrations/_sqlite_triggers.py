"""The SQLite triggers of migrations 0038 and 0041, for migrations that must rebuild one of
the tables they name (SQLite rebuilds a table to change a constraint or add a unique column,
and a trigger naming it would break the rebuild): drop them first, make them again after."""

ALLOCATION_LIMIT = """
CREATE TRIGGER intake_allocation_within BEFORE INSERT ON intake_allocation
BEGIN
    SELECT RAISE(ABORT, 'allocation exceeds what the charge is owed')
    WHERE ROUND((SELECT COALESCE(SUM(amount), 0) FROM intake_allocation
                 WHERE charge_id = NEW.charge_id) + NEW.amount, 2)
        > ROUND((SELECT COALESCE(SUM(amount), 0) FROM intake_chargeline
                 WHERE charge_id = NEW.charge_id), 2);
    SELECT RAISE(ABORT, 'allocation exceeds what the payment brought')
    WHERE ROUND((SELECT COALESCE(SUM(amount), 0) FROM intake_allocation
                 WHERE payment_id = NEW.payment_id) + NEW.amount, 2)
        > ROUND((SELECT amount FROM intake_payment WHERE id = NEW.payment_id), 2);
END;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(ALLOCATION_LIMIT)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS intake_allocation_within;")


# Migration 0041: an adjustment line never takes a charge below zero or below what is paid.
ADJUSTMENT_LIMIT = """
CREATE TRIGGER intake_chargeline_within BEFORE INSERT ON intake_chargeline
WHEN NEW.adjusts_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an adjustment would take the charge below what is paid on it')
    WHERE ROUND((SELECT COALESCE(SUM(amount), 0) FROM intake_chargeline
                 WHERE charge_id = NEW.charge_id) + NEW.amount, 2)
        < MAX(ROUND((SELECT COALESCE(SUM(amount), 0) FROM intake_allocation
                     WHERE charge_id = NEW.charge_id), 2), 0);
END;
"""


def create_adjustment(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(ADJUSTMENT_LIMIT)


def drop_adjustment(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS intake_chargeline_within;")
