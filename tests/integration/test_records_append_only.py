"""The rights core's append-only records on PostgreSQL: the same attempts as on SQLite
(tests/licensing/test_append_only.py), against the PL/pgSQL triggers."""
import pytest
from django.db import connection

from tests.licensing import test_append_only as same

pytestmark = pytest.mark.django_db


def test_guards_are_installed_on_postgresql():
    assert connection.vendor == "postgresql"
    same.test_every_guard_is_installed()


def test_records_cannot_be_rewritten_or_erased_on_postgresql():
    same.test_records_cannot_be_rewritten_or_erased()


def test_a_verification_decision_is_final_on_postgresql():
    same.test_a_verification_decision_is_final()


def test_an_issued_invoice_is_fixed_on_postgresql():
    from tests.marketplace import test_invoices

    test_invoices.assert_invoices_are_fixed()
