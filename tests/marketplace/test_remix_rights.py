"""A remix of a remix pays every rights holder in the chain: the holder of the licence used, and
for every parent work its maker and every talent and studio shown in it; under the offer's policy
(relative, or absolute with a ceiling, so an 11-deep chain's root is paid); the earnings page says
which work paid whom."""
import pytest

from accounts.models import User
from marketplace import services
from marketplace.models import LedgerTransaction
from marketplace.services.studios import organisation_holder
from tests.factories import UserFactory, listed_likeness, studio_with_asset
from tests.marketplace.money import assert_ledger_balanced, buy, owed, remix_chain, top_up, use

pytestmark = pytest.mark.django_db


def _remixable(likeness=None, *, fee=1_000, share_bps=2_000, **kw):
    likeness = likeness or listed_likeness()[0]
    return services.offer_create(
        likeness=likeness, actor=likeness.owner, title="Remixable", price_minor=1_000, currency="gbp",
        per_generation_fee_minor=fee, derivatives="allowed", revenue_share_bps=share_bps, generation_quota=50, **kw,
    )


def test_a_remix_of_a_remix_pays_every_talent_and_studio_shown_and_every_maker(settings):
    settings.PLATFORM_FEE_BPS = 2_000
    first_talent, _ = listed_likeness(name="First Talent")
    second_talent, _ = listed_likeness(name="Second Talent")
    t1_offer, t2_offer = _remixable(first_talent), _remixable(second_talent)
    asset, member = studio_with_asset()
    char_offer = services.offer_create(ip_asset=asset, actor=member, title="Character", price_minor=1_000, currency="gbp",
                                       per_generation_fee_minor=500, derivatives="allowed", revenue_share_bps=2_000, generation_quota=50)
    makers = [UserFactory(kind=User.Kind.CREATOR) for _ in range(3)]
    for m in makers:
        top_up(m, 100_000)
    # Work A: maker 0 with the first talent and the character.
    a_talent = use(buy(makers[0], t1_offer).licence, "work-A")
    use(buy(makers[0], char_offer).licence, "work-A")
    # Work B: maker 1 remixes A with the second talent. Work C: maker 2 remixes B, same talent.
    b = use(buy(makers[1], t2_offer).licence, "work-B", parent=a_talent)
    studio = organisation_holder(organisation=asset.studio)
    parties = [first_talent.owner, second_talent.owner, studio, *makers]
    before = {p.pk: owed(p) for p in parties}
    use(buy(makers[2], t2_offer).licence, "work-C", parent=b)
    gained = {p.pk: owed(p) - before[p.pk] for p in parties}
    # Maker 2's licence sale (1000) pays the second talent 800. C's fee 1000: 200 platform, 800 net.
    # Relative, 20% per level: the second talent (licence used) keeps 640; B (maker 1 + the second
    # talent) gets 160, keeps 128 (64 each) and passes 32 up to A; A (maker 0, first talent,
    # studio) 32 -> 10.67 each.
    assert gained[second_talent.owner.pk] == 800 + 640 + 64
    assert gained[makers[1].pk] == 64
    assert {gained[makers[0].pk], gained[first_talent.owner.pk], gained[studio.pk]} <= {10, 11}
    assert gained[makers[0].pk] + gained[first_talent.owner.pk] + gained[studio.pk] == 32
    assert gained[makers[2].pk] == 0
    assert_ledger_balanced()


def test_an_eleven_deep_chain_pays_its_root_under_the_absolute_policy(settings):
    settings.PLATFORM_FEE_BPS = 0
    _, creators, uses, _ = remix_chain(depth=11, fee=1_000, share_bps=1_000, revenue_policy="absolute", revenue_ceiling_bps=5_000)
    last = LedgerTransaction.objects.get(idempotency_key=f"usage-fee-{uses[-1].pk}")
    paid = {e.account.owner_id: -e.amount_minor for e in last.entries.select_related("account") if e.amount_minor < 0}
    # ten parent works ask 10% each, over a 50% ceiling: scaled to 5% each, shared by maker and talent
    assert paid[creators[0].pk] == 25  # the root's maker: half of 5% of 1000
    assert all(paid[c.pk] == 25 for c in creators[:10])
    relative = remix_chain(depth=11, fee=1_000, share_bps=1_000)
    rel_last = LedgerTransaction.objects.get(idempotency_key=f"usage-fee-{relative[2][-1].pk}")
    rel_paid = {e.account.owner_id: -e.amount_minor for e in rel_last.entries.select_related("account") if e.amount_minor < 0}
    assert rel_paid.get(relative[1][0].pk, 0) == 0  # the relative policy's geometric decay: the root gets nothing
    assert_ledger_balanced()


def test_the_offer_policy_is_checked():
    likeness, _ = listed_likeness()
    from accounts.errors import InvalidInput

    with pytest.raises(InvalidInput):
        _remixable(likeness, revenue_policy="greedy")
    with pytest.raises(InvalidInput):
        _remixable(likeness, revenue_policy="absolute", revenue_ceiling_bps=10_001)


def test_the_earnings_page_says_which_work_paid_whom(client):
    talent, creators, uses, _ = remix_chain(depth=3, fee=1_000, share_bps=2_500)
    client.force_login(creators[0])
    page = client.get("/talent/earnings/").content.decode()
    assert f"maker of parent work {uses[0].reference[:8]} (1 level up)" in page
    assert f"maker of parent work {uses[0].reference[:8]} (2 levels up)" in page
    client.force_login(talent)
    page = client.get("/talent/earnings/").content.decode()
    assert "rights holder of the licence used" in page and "rights holder shown of parent work" in page
    assert "rights holder: licence sale" in page
