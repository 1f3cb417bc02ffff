"""Consent records, consent documents, audit rows, licence history and verification decisions
cannot be changed or deleted, whatever code or person writes to the database (SQLite here; the
integration tier runs the same on PostgreSQL)."""
import pytest
from django.db import DatabaseError, connection, transaction

from licensing import services as licensing
from licensing.db import record_guards_missing
from licensing.models import AuditEvent, ConsentDocument, ConsentRecord, LicenceTransition, Verification
from tests.factories import granted_licence, verified_likeness

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(DatabaseError) as exc:
        with transaction.atomic():
            fn()
    return str(exc.value)


def raw(sql, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    return run


def test_every_guard_is_installed():
    assert record_guards_missing() == []


def test_records_cannot_be_rewritten_or_erased():
    licence = granted_licence()
    likeness = licence.likeness
    consent = ConsentRecord.objects.filter(likeness=likeness).first()
    audit = AuditEvent.objects.filter(object_id=str(likeness.pk)).first()
    history = LicenceTransition.objects.filter(licence=licence).first()
    doc = ConsentDocument.objects.first()
    # Through the ORM, as careless code would…
    assert "append-only" in refused(lambda: ConsentRecord.objects.filter(pk=consent.pk).update(action="withdrawn"))
    assert "append-only" in refused(lambda: ConsentRecord.objects.filter(pk=consent.pk).delete())
    assert "append-only" in refused(lambda: AuditEvent.objects.filter(pk=audit.pk).update(action="nothing.happened"))
    assert "append-only" in refused(lambda: AuditEvent.objects.all().delete())
    assert "append-only" in refused(lambda: LicenceTransition.objects.filter(pk=history.pk).update(reason="edited"))
    assert "append-only" in refused(lambda: ConsentDocument.objects.filter(pk=doc.pk).update(text="something milder"))
    # …and in raw SQL, as a person at a database prompt would.
    assert "append-only" in refused(raw("UPDATE licensing_consentrecord SET document_sha256 = %s", ["0" * 64]))
    assert "append-only" in refused(raw("DELETE FROM licensing_auditevent WHERE id = %s", [audit.pk]))
    consent.refresh_from_db()
    assert consent.action == "accepted" and AuditEvent.objects.filter(pk=audit.pk).exists()
    # Appending is what the system does: a withdrawal is a new row.
    before = ConsentRecord.objects.count()
    licensing.consent_withdraw(user=likeness.owner, likeness=likeness, ip_address=None, user_agent="t")
    assert ConsentRecord.objects.count() == before + 1


def test_a_verification_decision_is_final():
    likeness = verified_likeness(approve=False)
    v = Verification.objects.get(likeness=likeness)
    # A passed check cannot be turned into anything else, nor its frame counts inflated.
    assert "final" in refused(lambda: Verification.objects.filter(pk=v.pk).update(frames_with_face=99))
    assert "final" in refused(raw("UPDATE licensing_verification SET status = 'failed' WHERE id = %s", [v.pk.hex]))
    from tests.factories import moderator

    licensing.verification_review(verification=v, moderator=moderator(), approve=False, note="another person")
    # A moderator's rejection cannot be flipped to an approval behind their back.
    assert "final" in refused(lambda: Verification.objects.filter(pk=v.pk).update(review_status="approved"))
    assert "refused" in refused(lambda: Verification.objects.filter(pk=v.pk).delete())
    v.refresh_from_db()
    assert v.review_status == "rejected"
