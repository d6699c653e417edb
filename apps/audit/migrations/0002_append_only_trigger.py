"""A database trigger that refuses UPDATE on audit rows, whatever code path tries it.

DELETE is left to the application (the retention job removes old rows, and test-database
flushes delete everything). Note for later migrations of this table: SQLite rebuilds a table on
most ALTERs and the rebuild drops its triggers, so such a migration must run CREATE_SQL again
(tests/audit/test_models.py fails if the trigger is missing).
"""

from django.db import migrations

# One statement per entry: drivers differ on several statements in one execute().
SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS audit_auditlog_no_update BEFORE UPDATE ON audit_auditlog "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_auditlog_no_update"]

POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_auditlog_refuse_update() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_auditlog_no_update ON audit_auditlog",
    "CREATE TRIGGER audit_auditlog_no_update BEFORE UPDATE ON audit_auditlog "
    "FOR EACH ROW EXECUTE FUNCTION audit_auditlog_refuse_update()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditlog_no_update ON audit_auditlog",
    "DROP FUNCTION IF EXISTS audit_auditlog_refuse_update()",
]

CREATE_SQL = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
DROP_SQL = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}


def create_trigger(apps, schema_editor):
    for statement in CREATE_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def drop_trigger(apps, schema_editor):
    for statement in DROP_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
