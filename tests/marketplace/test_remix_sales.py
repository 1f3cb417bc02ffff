"""Licence sales shared up a remix chain: a licence bought to remix a work (the feed's remix link
names it) pays, besides the holder of the licence sold, the work's maker and every talent and
studio shown in it, and so on up its chain, under the offer's policy, exactly; the earnings page
says which work paid whom. A remix of a remix pays every rights holder in the chain."""
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts.errors import Conflict, NotFound
from accounts.models import User
from generation import feed
from generation import services as gen
from marketplace import revenue, services
from marketplace.models import LedgerAccount, LedgerTransaction
from marketplace.services.sharing import chain_for_sale, paid_event_lines
from marketplace.services.studios import organisation_holder
from tests.factories import UserFactory, listed_likeness, studio_with_asset
from tests.marketplace.money import assert_ledger_balanced, owed

pytestmark = pytest.mark.django_db


def _offer(holding, actor, *, price=10_000, share_bps=2_000, **kw):
    field = "ip_asset" if hasattr(holding, "studio_id") else "likeness"
    return services.offer_create(**{field: holding}, actor=actor, title="Remixable", price_minor=price, currency="gbp",
                                 derivatives="allowed", revenue_share_bps=share_bps, generation_quota=20, **kw)


def _buy(buyer, offer, remix_of=None):
    order = services.order_create(buyer=buyer, offer=offer, remix_of=remix_of)
    order = services.offline_checkout_complete(order=order, buyer=buyer, pay=True)
    assert order.status == "paid"
    return order


def _released(order, prompt, capture, *, parent=None, extra=()):
    with capture(execute=True):
        brief = gen.brief_submit(requester=order.buyer, licence_id=order.licence_id, prompt=prompt, seed=3,
                                 extra_licence_ids=[o.licence_id for o in extra] or None, parent_brief_id=parent)
    brief.job.refresh_from_db()
    assert brief.job.status == "released", brief.job.status
    feed.feed_publish(job=brief.job, actor=order.buyer)  # only published work is someone else's parent
    return brief


def _sale_paid(order) -> dict:
    txn = LedgerTransaction.objects.get(idempotency_key=f"sale-{order.pk}")
    return {e.account.owner_id: -e.amount_minor for e in txn.entries.select_related("account")
            if e.account.kind == LedgerAccount.Kind.PAYABLE}


def test_a_remix_of_a_remix_pays_every_rights_holder_in_the_chain(settings, client, django_capture_on_commit_callbacks, builtin_model):
    settings.PLATFORM_FEE_BPS = 2_000
    first, _ = listed_likeness(name="First Talent")
    second, _ = listed_likeness(name="Second Talent")
    asset, member = studio_with_asset()
    studio = organisation_holder(organisation=asset.studio)
    o_first, o_second, o_char = _offer(first, first.owner), _offer(second, second.owner), _offer(asset, member)
    makers = [UserFactory(kind=User.Kind.CREATOR) for _ in range(3)]
    # Work A: maker 0, the first talent and the studio's character.
    a = _released(_buy(makers[0], o_first), "a lighthouse", django_capture_on_commit_callbacks, extra=[_buy(makers[0], o_char)])
    # Work B: maker 1 buys the second talent's licence to remix A, and does.
    b_order = _buy(makers[1], o_second, remix_of=str(a.pk))
    # 10000: 2000 platform; 8000 net, the second talent passes 20% up: keeps 6400; A's link (maker
    # 0, first talent, studio) 1600, 533.33 each by largest remainder.
    paid = _sale_paid(b_order)
    assert paid[second.owner_id] == 6_400
    assert sorted(paid[p] for p in (makers[0].pk, first.owner_id, studio.pk)) == [533, 533, 534]
    b = _released(b_order, "a lighthouse in rain", django_capture_on_commit_callbacks, parent=str(a.pk))
    # Work C: maker 2 buys the second talent's licence to remix B (a remix of a remix).
    before = {p: owed(User.objects.get(pk=p)) for p in (first.owner_id, second.owner_id, studio.pk, *(m.pk for m in makers))}
    c_order = _buy(makers[2], o_second, remix_of=str(b.pk))
    gained = {p: owed(User.objects.get(pk=p)) - before[p] for p in before}
    # Relative, 20% per level: the second talent keeps 6400 as holder; B (maker 1 + second talent)
    # gets 1600 and keeps 1280 (640 each), passing 320 up to A (maker 0, first talent, studio).
    assert gained[second.owner_id] == 6_400 + 640
    assert gained[makers[1].pk] == 640
    assert sorted(gained[p] for p in (makers[0].pk, first.owner_id, studio.pk)) == [106, 107, 107]
    assert gained[makers[2].pk] == 0
    assert sum(gained.values()) == 8_000  # every minor unit of the net, none lost
    # The chain the sale used is the one a generation of the remix would use (the same split code).
    chain = chain_for_sale(c_order.licence, remix_of_id=c_order.remix_of_id)
    assert [set(link.parties) for link in chain] == [{second.owner_id}, {makers[1].pk, second.owner_id},
                                                     {makers[0].pk, first.owner_id, studio.pk}]
    assert_ledger_balanced()

    # The earnings page: which work paid whom.
    client.force_login(makers[0])
    body = client.get("/talent/earnings/").content.decode()
    assert f"maker of parent work {str(a.pk)[:8]} (1 level up)" in body  # B's sale
    assert f"maker of parent work {str(a.pk)[:8]} (2 levels up)" in body  # C's sale reached A
    client.force_login(second.owner)
    assert "licence sale to remix this work" in client.get("/talent/earnings/").content.decode()

    # A full refund of C's sale takes back exactly what it paid, from every party.
    services.order_refund(order=c_order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=10_000)
    assert {p: owed(User.objects.get(pk=p)) for p in before} == before
    assert_ledger_balanced()


def test_a_remix_sale_under_the_absolute_policy_pays_each_ancestor_its_fixed_share(settings, django_capture_on_commit_callbacks, builtin_model):
    settings.PLATFORM_FEE_BPS = 0
    talent, _ = listed_likeness()
    offer = _offer(talent, talent.owner, share_bps=1_000, revenue_policy="absolute", revenue_ceiling_bps=5_000)
    makers = [UserFactory(kind=User.Kind.CREATOR) for _ in range(3)]
    a = _released(_buy(makers[0], offer), "a harbour", django_capture_on_commit_callbacks)
    b = _released(_buy(makers[1], offer, remix_of=str(a.pk)), "a harbour at dusk", django_capture_on_commit_callbacks, parent=str(a.pk))
    paid = _sale_paid(_buy(makers[2], offer, remix_of=str(b.pk)))
    # B asks 10% of the whole (B was made under a 10% licence) and A 10%: under the 50% ceiling, each
    # gets exactly that, shared by its maker and the talent shown; the holder keeps the rest.
    assert paid[makers[1].pk] == 500 and paid[makers[0].pk] == 500
    assert paid[talent.owner_id] == 8_000 + 500 + 500  # the holder keeps 8000, plus its half of both links
    assert sum(paid.values()) == 10_000


def test_only_a_work_the_buyer_may_remix_and_someone_else_made_can_be_named(django_capture_on_commit_callbacks, builtin_model):
    talent, _ = listed_likeness()
    offer = _offer(talent, talent.owner)
    maker, buyer = UserFactory(kind=User.Kind.CREATOR), UserFactory(kind=User.Kind.CREATOR)
    order = _buy(maker, offer)
    with django_capture_on_commit_callbacks(execute=True):
        private = gen.brief_submit(requester=maker, licence_id=order.licence_id, prompt="unpublished", seed=1)
    from marketplace.models import Order

    for bad in (str(private.pk), "not-an-id", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):  # unpublished, malformed, unknown: all read as not found
            services.order_create(buyer=buyer, offer=offer, remix_of=bad)
    feed.feed_publish(job=private.job, actor=maker)
    with pytest.raises(Conflict):  # one's own work: nothing of one's own purchase comes back
        services.order_create(buyer=maker, offer=offer, remix_of=str(private.pk))
    assert not Order.objects.filter(buyer=buyer).exists() and Order.objects.filter(buyer=maker).count() == 1


def test_the_remix_link_carries_the_work_to_the_listing_and_the_purchase(client, django_capture_on_commit_callbacks, builtin_model):
    talent, _ = listed_likeness()
    offer = _offer(talent, talent.owner)
    maker, buyer = UserFactory(kind=User.Kind.CREATOR), UserFactory(kind=User.Kind.CREATOR)
    work = _released(_buy(maker, offer), "a quay", django_capture_on_commit_callbacks)
    client.force_login(buyer)
    page = client.get(f"/market/{talent.pk}/?remix={work.pk}").content.decode()
    assert f'name="remix_of" value="{work.pk}"' in page and "buying a licence to remix a work" in page
    assert 'name="remix_of"' not in client.get(f"/market/{talent.pk}/?remix=nonsense").content.decode()
    r = client.post(f"/offers/{offer.pk}/buy/", {"remix_of": "nonsense"})
    assert r.status_code == 400 and "not a valid id" in r.content.decode()
    r = client.post(f"/offers/{offer.pk}/buy/", {"remix_of": str(work.pk)})
    assert r.status_code == 302
    from marketplace.models import Order

    assert Order.objects.get(buyer=buyer).remix_of.reference == str(work.pk)


@pytest.fixture
def three_deep(django_capture_on_commit_callbacks, builtin_model):
    talent, _ = listed_likeness()
    offer = _offer(talent, talent.owner, share_bps=3_333)
    makers = [UserFactory(kind=User.Kind.CREATOR) for _ in range(3)]
    a = _released(_buy(makers[0], offer), "a field", django_capture_on_commit_callbacks)
    b = _released(_buy(makers[1], offer, remix_of=str(a.pk)), "a field at noon", django_capture_on_commit_callbacks, parent=str(a.pk))
    order = services.order_create(buyer=makers[2], offer=offer, remix_of=str(b.pk))
    return order


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.integers(0, 10**12), fee_bps=st.integers(0, 10_000), policy=st.sampled_from(revenue.POLICIES),
       ceiling=st.integers(0, 10_000))
def test_a_remix_sales_split_is_exact_for_any_amount_and_policy(three_deep, amount, fee_bps, policy, ceiling):
    """No minor unit lost or made: the lines balance, each party is within one unit of its exact
    share, and the chain is the work's whole lineage."""
    clearing = LedgerAccount(kind=LedgerAccount.Kind.CLEARING, currency="gbp")
    chain = chain_for_sale(three_deep.licence, remix_of_id=three_deep.remix_of_id)
    assert len(chain) == 3
    lines, split = paid_event_lines(amount=amount, currency="gbp", debit=clearing, chain=chain, fee_bps=fee_bps,
                                    policy=policy, ceiling_bps=ceiling, cache={(k, o, "gbp"): LedgerAccount(kind=k, owner_id=o, currency="gbp")
                                                                              for k, o in [(LedgerAccount.Kind.PLATFORM_REVENUE, None)]
                                                                              + [(LedgerAccount.Kind.PAYABLE, p) for lk in chain for p in lk.parties]})
    assert sum(v for _, v in lines) == 0
    weights, denominator = revenue.chain_weights(chain, policy=policy, ceiling_bps=ceiling)
    net = amount - split.platform_fee
    for party, weight in weights.items():
        exact_times_d = net * weight
        got = split.shares.get(party, 0) * denominator
        assert abs(got - exact_times_d) < denominator
