"""The SQLite trigger of migration 0038, for migrations that must rebuild one of the tables it
names (SQLite rebuilds a table to change a constraint, and the trigger would break it)."""

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
