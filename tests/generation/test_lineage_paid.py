"""The lineage page says who was credited and paid at each step: the ledger's split of each
generation's fee (talent, the remixed work's maker, the platform), as money."""
import pytest

from accounts.models import User
from generation import feed
from generation import services as gen
from licensing import services as licensing
from marketplace import services as market
from marketplace.selectors import usage_payments_for
from tests.factories import UserFactory, verified_likeness
from tests.marketplace.money import buy, top_up

pytestmark = pytest.mark.django_db


def test_lineage_shows_who_was_paid_at_each_step(client, django_capture_on_commit_callbacks, builtin_model):
    talent = UserFactory(kind=User.Kind.TALENT, display_name="Tia Talent")
    likeness = verified_likeness(owner=talent, name="Tia")
    offer = market.offer_create(
        likeness=likeness, actor=talent, title="Remix licence", price_minor=500, per_generation_fee_minor=100, currency="gbp",
        commercial_use=False, generation_quota=10, derivatives="allowed", revenue_share_bps=1000,
    )
    licensing.likeness_publish(likeness=likeness, actor=talent)
    maker = UserFactory(kind=User.Kind.CREATOR, display_name="Mia Maker")
    remixer = UserFactory(kind=User.Kind.CREATOR, display_name="Rex Remixer")
    licences = {}
    for who in (maker, remixer):
        licences[who.pk] = buy(who, offer).licence
        top_up(who, 1_000)
    with django_capture_on_commit_callbacks(execute=True):
        parent = gen.brief_submit(requester=maker, licence_id=licences[maker.pk].pk, prompt="a paper boat", seed=3)
    parent.job.refresh_from_db()
    feed.feed_publish(job=parent.job, actor=maker)
    with django_capture_on_commit_callbacks(execute=True):
        child = gen.brief_submit(requester=remixer, licence_id=licences[remixer.pk].pk, prompt="a paper boat at night", seed=4, parent_brief_id=str(parent.pk))
    child.job.refresh_from_db()
    assert child.job.status == "released"

    paid = usage_payments_for([str(parent.pk), str(child.pk)])
    assert sum(r["amount_minor"] for r in paid[str(child.pk)]) == 100  # the whole fee, split
    child_payees = {r["who"] for r in paid[str(child.pk)]}
    assert {"Tia Talent", "Mia Maker"} <= child_payees and "Rex Remixer" not in child_payees
    assert "Mia Maker" not in {r["who"] for r in paid[str(parent.pk)]}  # nobody upstream of the first work

    feed.feed_publish(job=child.job, actor=remixer)
    client.logout()  # public once in the feed
    body = client.get(f"/jobs/{child.job.pk}/lineage/").content.decode()
    assert body.count("Paid for this generation") == 2 and "minor units" not in body
    for row in paid[str(child.pk)]:
        from accounts.display import money

        assert f"{row['who']} <strong>{money(row['amount_minor'], 'gbp', locale='en_GB')}</strong>" in body
