"""The database's own guard on the rights core's records: consent records, consent documents,
audit events and licence history are append-only; a verification's decision (passed or failed,
then a moderator's approval or rejection) is final once made. Whatever code or person writes to
the tables. Corrections are new rows (a new verification, a new consent record).

PostgreSQL: row triggers refuse UPDATE and DELETE. SQLite: the same, DELETE refused unless
`manage.py flush` is erasing the whole database (the function `rightscast_records_sealed`, see
licensing.db). Django rebuilds SQLite tables to alter them, which drops their triggers: a later
migration that alters these tables must run `guards` again (`record_guards_missing` reports)."""
from django.db import migrations

TABLES = ("licensing_auditevent", "licensing_consentrecord", "licensing_consentdocument", "licensing_licencetransition")

# Verification rows change while pending (the media are checked), then once by a moderator.
DECIDED = (
    "OLD.review_status <> 'unreviewed' OR (OLD.status <> 'pending' AND ("
    " NEW.status <> OLD.status OR NEW.frames_checked <> OLD.frames_checked OR NEW.frames_with_face <> OLD.frames_with_face"
    " OR NEW.failure_reason <> OLD.failure_reason OR NEW.likeness_id <> OLD.likeness_id OR NEW.user_id <> OLD.user_id"
    " OR NEW.challenge <> OLD.challenge))"
)

PG_GUARDS = r"""
CREATE OR REPLACE FUNCTION licensing_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only: % refused (write a new record instead)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS {t}_append_only ON {t};
CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION licensing_refuse_change();
"""
    for t in TABLES
) + f"""
CREATE OR REPLACE FUNCTION licensing_verification_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'verifications are kept: DELETE refused' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF {DECIDED} THEN
    RAISE EXCEPTION 'a verification decision is final: UPDATE refused (start a new verification)'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS licensing_verification_decided ON licensing_verification;
CREATE TRIGGER licensing_verification_decided BEFORE UPDATE OR DELETE ON licensing_verification
  FOR EACH ROW EXECUTE FUNCTION licensing_verification_decided();
"""

PG_UNDO = "".join(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};\n" for t in TABLES) + """
DROP TRIGGER IF EXISTS licensing_verification_decided ON licensing_verification;
DROP FUNCTION IF EXISTS licensing_refuse_change();
DROP FUNCTION IF EXISTS licensing_verification_decided();
"""

SQLITE_GUARDS = []
for _t in TABLES:
    SQLITE_GUARDS += [
        f"DROP TRIGGER IF EXISTS {_t}_no_update",
        f"CREATE TRIGGER {_t}_no_update BEFORE UPDATE ON {_t} BEGIN SELECT RAISE(ABORT, '{_t} rows are append-only: UPDATE refused'); END",
        f"DROP TRIGGER IF EXISTS {_t}_no_delete",
        f"CREATE TRIGGER {_t}_no_delete BEFORE DELETE ON {_t} WHEN rightscast_records_sealed() "
        f"BEGIN SELECT RAISE(ABORT, '{_t} rows are append-only: DELETE refused'); END",
    ]
SQLITE_GUARDS += [
    "DROP TRIGGER IF EXISTS licensing_verification_decided",
    f"CREATE TRIGGER licensing_verification_decided BEFORE UPDATE ON licensing_verification WHEN {DECIDED} "
    "BEGIN SELECT RAISE(ABORT, 'a verification decision is final: UPDATE refused (start a new verification)'); END",
    "DROP TRIGGER IF EXISTS licensing_verification_no_delete",
    "CREATE TRIGGER licensing_verification_no_delete BEFORE DELETE ON licensing_verification WHEN rightscast_records_sealed() "
    "BEGIN SELECT RAISE(ABORT, 'verifications are kept: DELETE refused'); END",
]
SQLITE_UNDO = [f"DROP TRIGGER IF EXISTS {t}_{op}" for t in TABLES for op in ("no_update", "no_delete")] + [
    "DROP TRIGGER IF EXISTS licensing_verification_decided", "DROP TRIGGER IF EXISTS licensing_verification_no_delete",
]


def guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_GUARDS, params=None)
    elif vendor == "sqlite":
        from licensing.db import register_sqlite_functions

        register_sqlite_functions(sender=None, connection=schema_editor.connection)
        for statement in SQLITE_GUARDS:
            schema_editor.execute(statement, params=None)


def undo(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UNDO, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_UNDO:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0004_minors")]
    operations = [migrations.RunPython(guards, undo)]
