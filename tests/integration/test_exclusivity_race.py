"""Exclusivity under concurrency on PostgreSQL: many competing brands buy an exclusive licence on
one likeness at the same moment; exactly one gets it."""
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from accounts.errors import Conflict
from accounts.models import Membership, Organisation, User
from licensing import services as licensing
from licensing.models import Licence
from tests.factories import UserFactory, published_likeness


@pytest.mark.django_db(transaction=True)
def test_only_one_of_many_racing_brands_becomes_exclusive():
    assert connection.vendor == "postgresql"
    likeness = published_likeness()
    brands = []
    for i in range(8):
        user = UserFactory(kind=User.Kind.BRAND)
        org = Organisation.objects.create(name=f"Brand {i}", kind="brand", category="Soft drinks" if i % 2 else "soft-drinks", verified_at=timezone.now())
        Membership.objects.create(user=user, organisation=org)
        brands.append(user)
    go = threading.Barrier(len(brands))
    outcomes = []

    def buy(user):
        close_old_connections()
        try:
            go.wait(10)
            terms = licensing.terms_create(exclusivity_category="soft drinks", commercial_use=True)
            licensing.licence_create(likeness=likeness, licensee=user, terms=terms)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(u,)) for u in brands]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["exclusivity"] * 7 + ["ok"]
    assert Licence.objects.filter(likeness=likeness).count() == 1
