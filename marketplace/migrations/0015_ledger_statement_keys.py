"""PostgreSQL: the ledger's entries stop paying two foreign-key checks per row at commit (issue #14).

A bulk posting of 1,000 transactions (5,000 entries) spent as long committing as copying: every
entry queued two deferred referential checks (its transaction, its account), each a row lookup
with a key-share lock, run one by one at commit. What they guaranteed is kept, checked once per
statement instead:

- an entry's account exists and keeps the entry's currency: the statement check of 0004 already
  probes the account per entry; a missing account now refuses too (LEFT JOIN);
- an entry's transaction row is written by commit: each statement that writes entries files one
  row (the transactions it touched) in `marketplace_ledger_unsealed`; a deferred constraint trigger
  on that row checks at commit that every one of them has its row, then removes it. One deferred
  check per statement, not two per entry;
- an account with entries is never deleted (a statement-level check over the deleted rows;
  Django's PROTECT refuses first in Python).

The two `varchar_pattern_ops` indexes Django adds for LIKE on `idempotency_key` and `external_id`
go: nothing filters those columns by pattern through them (the payout's `external_id` prefix
filter reads entries by account first), and every posting paid for them. Django's model state is
unchanged (SQLite keeps its foreign keys and row triggers)."""
from django.db import migrations

PG_FORWARD = r"""
CREATE TABLE IF NOT EXISTS marketplace_ledger_unsealed (id bigserial PRIMARY KEY, transaction_ids bigint[] NOT NULL);

CREATE OR REPLACE FUNCTION marketplace_ledger_entries_checked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad RECORD;
BEGIN
  -- LATERAL ... LIMIT keeps every check a probe of an index per transaction (or account) the
  -- statement touched, whatever the planner guesses about the transition table's size.
  SELECT n.currency, n.account_id INTO bad FROM new_entries n
   LEFT JOIN LATERAL (SELECT a.currency FROM marketplace_ledgeraccount a WHERE a.id = n.account_id LIMIT 1) a ON true
   WHERE a.currency IS DISTINCT FROM n.currency LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger entry in % on account %, which does not exist or is kept in another currency', bad.currency, bad.account_id
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT t.transaction_id, b.currency, b.total INTO bad FROM (SELECT DISTINCT transaction_id FROM new_entries) t
   CROSS JOIN LATERAL (SELECT e.currency, SUM(e.amount_minor) AS total FROM marketplace_ledgerentry e
                        WHERE e.transaction_id = t.transaction_id GROUP BY e.currency HAVING SUM(e.amount_minor) <> 0 LIMIT 1) b
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % % left over', bad.transaction_id, bad.total, bad.currency
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT w.id INTO bad FROM (SELECT DISTINCT transaction_id FROM new_entries) t
   CROSS JOIN LATERAL (SELECT x.id FROM marketplace_ledgertransaction x WHERE x.id = t.transaction_id LIMIT 1) w LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger entry added to transaction %, already written', bad.id USING ERRCODE = 'check_violation';
  END IF;
  -- their rows must be written by commit: one deferred check for the whole statement
  INSERT INTO marketplace_ledger_unsealed (transaction_ids) SELECT array_agg(DISTINCT transaction_id) FROM new_entries;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION marketplace_ledger_sealed_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE missing bigint;
BEGIN
  SELECT t INTO missing FROM unnest(NEW.transaction_ids) t
   WHERE NOT EXISTS (SELECT 1 FROM marketplace_ledgertransaction x WHERE x.id = t) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger entries for transaction %, whose row was never written', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  DELETE FROM marketplace_ledger_unsealed WHERE id = NEW.id;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS marketplace_ledger_unsealed_check ON marketplace_ledger_unsealed;
CREATE CONSTRAINT TRIGGER marketplace_ledger_unsealed_check AFTER INSERT ON marketplace_ledger_unsealed
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_sealed_at_commit();

CREATE OR REPLACE FUNCTION marketplace_ledger_account_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT o.id INTO bad FROM old_accounts o
   WHERE EXISTS (SELECT 1 FROM marketplace_ledgerentry e WHERE e.account_id = o.id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger account % has entries and is kept', bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS marketplace_ledgeraccount_kept ON marketplace_ledgeraccount;
CREATE TRIGGER marketplace_ledgeraccount_kept AFTER DELETE ON marketplace_ledgeraccount
  REFERENCING OLD TABLE AS old_accounts FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_account_kept();
"""

PG_BACKWARD = r"""
DROP TRIGGER IF EXISTS marketplace_ledgeraccount_kept ON marketplace_ledgeraccount;
DROP FUNCTION IF EXISTS marketplace_ledger_account_kept();
DROP TRIGGER IF EXISTS marketplace_ledger_unsealed_check ON marketplace_ledger_unsealed;
DROP FUNCTION IF EXISTS marketplace_ledger_sealed_at_commit();
DROP TABLE IF EXISTS marketplace_ledger_unsealed;
"""

# the foreign keys and pattern indexes Django made, found by what they are rather than by name
_FKS = """SELECT conname FROM pg_constraint WHERE conrelid = 'marketplace_ledgerentry'::regclass AND contype = 'f'
           AND confrelid IN ('marketplace_ledgertransaction'::regclass, 'marketplace_ledgeraccount'::regclass)"""
_LIKE_INDEXES = """SELECT indexname FROM pg_indexes WHERE tablename = 'marketplace_ledgertransaction'
                    AND indexname LIKE %s AND indexdef LIKE %s"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_FKS)
        fks = [r[0] for r in cursor.fetchall()]
        cursor.execute(_LIKE_INDEXES, ["%\\_like", "%varchar_pattern_ops%"])
        likes = [r[0] for r in cursor.fetchall()]
    for name in fks:
        schema_editor.execute(f'ALTER TABLE marketplace_ledgerentry DROP CONSTRAINT "{name}"', params=None)
    for name in likes:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"', params=None)
    schema_editor.execute(PG_FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PG_BACKWARD, params=None)
    schema_editor.execute(
        "ALTER TABLE marketplace_ledgerentry ADD CONSTRAINT marketplace_ledgerentry_transaction_fk FOREIGN KEY (transaction_id) "
        "REFERENCES marketplace_ledgertransaction(id) DEFERRABLE INITIALLY DEFERRED;"
        "ALTER TABLE marketplace_ledgerentry ADD CONSTRAINT marketplace_ledgerentry_account_fk FOREIGN KEY (account_id) "
        "REFERENCES marketplace_ledgeraccount(id) DEFERRABLE INITIALLY DEFERRED;"
        "CREATE INDEX IF NOT EXISTS marketplace_ledgertransaction_idempotency_key_like ON marketplace_ledgertransaction "
        "(idempotency_key varchar_pattern_ops);"
        "CREATE INDEX IF NOT EXISTS marketplace_ledgertransaction_external_id_like ON marketplace_ledgertransaction "
        "(external_id varchar_pattern_ops);",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0014_merge_20261128_0730")]
    operations = [migrations.RunPython(forward, backward)]
