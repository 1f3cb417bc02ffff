"""Two requests with the same Idempotency-Key at the same moment on PostgreSQL: one brief, one
unit of quota, one answer given twice."""
import threading

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from accounts.models import IdempotencyKey
from generation.models import Brief, GenerationJob
from tests.factories import active_licence


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_with_one_key_create_one_brief(real_broker, settings):
    settings.CONTENT_SCREENING_SEMANTIC = False  # the lexical screen: no model load inside the race
    assert connection.vendor == "postgresql"
    real_broker.control.purge()
    licence, _, _ = active_licence(quota=5)
    barrier = threading.Barrier(4)
    answers = []

    def post():
        close_old_connections()
        try:
            client = APIClient()
            client.force_authenticate(licence.licensee)
            barrier.wait(10)
            r = client.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "race me", "seed": 9}, format="json", HTTP_IDEMPOTENCY_KEY="race-key")
            answers.append((r.status_code, r.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    real_broker.control.purge()
    assert [code for code, _ in answers] == [201] * 4, answers
    assert len({body["id"] for _, body in answers}) == 1
    assert Brief.objects.count() == 1 and GenerationJob.objects.count() == 1
    licence.refresh_from_db()
    assert licence.quota_used == 1
    assert IdempotencyKey.objects.get(key="race-key").status_code == 201
