"""Revenue share: exact, deterministic splits down remix chains (the PIL's relative-percentage
policy), proved with hypothesis for arbitrary chains, currencies and amounts; and reversals that
take back exactly what was paid."""
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace import revenue
from marketplace.models import LedgerAccount
from marketplace.revenue import BPS, Link

amounts = st.integers(min_value=0, max_value=10**13)
bps = st.integers(min_value=0, max_value=BPS)
parties = st.integers(min_value=1, max_value=6)  # few, so one party often holds several links
chains = st.lists(st.builds(Link, party=parties, share_bps=bps), min_size=1, max_size=11)
currencies = st.sampled_from(["gbp", "usd", "eur", "jpy", "bhd"])


def exact_shares(amount: int, fee_bps: int, chain) -> dict:
    """The reference: rationals, link by link, no shortcuts."""
    net = Fraction(amount - amount * fee_bps // BPS)
    out: dict = {}
    received = net
    for k, link in enumerate(chain):
        passes = Fraction(link.share_bps, BPS) if k < len(chain) - 1 else Fraction(0)
        out[link.party] = out.get(link.party, 0) + received * (1 - passes)
        received = received * passes
    return out


@given(amount=amounts, fee_bps=bps, chain=chains, currency=currencies)
def test_parts_sum_to_the_whole_and_each_is_within_a_minor_unit(amount, fee_bps, chain, currency):
    split = revenue.split(amount=amount, fee_bps=fee_bps, chain=chain)
    assert split.platform_fee == amount * fee_bps // BPS  # never rounded in the platform's favour
    assert split.platform_fee + sum(split.shares.values()) == amount
    exact = exact_shares(amount, fee_bps, chain)
    for party, share in split.shares.items():
        assert share > 0 and abs(share - exact[party]) < 1
    for party, value in exact.items():
        assert abs(split.shares.get(party, 0) - value) < 1
    assert revenue.split(amount=amount, fee_bps=fee_bps, chain=chain) == split  # deterministic


@given(amount=amounts, fee_bps=bps, chain=chains)
def test_a_remix_ancestor_never_earns_more_than_its_child_passes_up(amount, fee_bps, chain):
    """Relative percentages: what reaches link k+1 is exactly share_bps of what reached link k."""
    weights, denominator = revenue.chain_weights(chain)
    assert sum(weights.values()) == denominator
    reached = Fraction(1)
    for link in chain[:-1]:
        reached *= Fraction(link.share_bps, BPS)
    assert all(w >= 0 for w in weights.values())
    assert Fraction(weights[chain[-1].party], denominator) >= reached


@given(amount=amounts, fee_bps=bps, chain=chains, data=st.data())
def test_reversals_take_back_exactly_what_was_paid(amount, fee_bps, chain, data):
    parts = revenue.split(amount=amount, fee_bps=fee_bps, chain=chain).parts()
    total = sum(parts.values())
    assert total == amount
    done: dict = {}
    reversed_total = 0
    cuts = sorted(set(data.draw(st.lists(st.integers(min_value=1, max_value=max(total, 1)), max_size=6)))) if total else []
    for point in cuts + [total]:
        step = point - reversed_total
        if step <= 0:
            continue
        delta = revenue.reversal(parts=parts, reversed_before=done, amount=step)
        assert sum(delta.values()) == step
        for k, v in delta.items():
            done[k] = done.get(k, 0) + v
        reversed_total += step
        for k, paid in parts.items():  # each party has had its own share of what is refunded taken back
            assert 0 <= done.get(k, 0) <= paid
            assert abs(done.get(k, 0) - Fraction(reversed_total * paid, total)) < 1
    assert done == {k: v for k, v in parts.items() if v}  # a full refund reverses every share exactly


def test_a_worked_example():
    """1000 pence, 20% platform fee; the talent passes 10% up to the first creator, who passes 50% up."""
    chain = [Link("talent", 1000), Link("creator-1", 5000), Link("creator-2")]
    split = revenue.split(amount=1000, fee_bps=2000, chain=chain)
    assert split.platform_fee == 200
    assert split.shares == {"talent": 720, "creator-1": 40, "creator-2": 40}
    # 999: fee 199 (199.8 rounded down), net 800 -> 720, 40, 40 exactly
    assert revenue.split(amount=999, fee_bps=2000, chain=chain).shares == {"talent": 720, "creator-1": 40, "creator-2": 40}
    # 7 pence over three equal parties: the largest remainders, ties to the earlier link
    three = [Link("a", 6667), Link("b", 5000), Link("c")]
    assert sum(revenue.split(amount=7, fee_bps=0, chain=three).shares.values()) == 7


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        revenue.split(amount=-1, fee_bps=0, chain=[Link(1)])
    with pytest.raises(ValueError):
        revenue.split(amount=10, fee_bps=10_001, chain=[Link(1)])
    with pytest.raises(ValueError):
        revenue.split(amount=10, fee_bps=0, chain=[])
    with pytest.raises(ValueError):
        revenue.split(amount=10, fee_bps=0, chain=[Link(1, 10_001), Link(2)])
    with pytest.raises(ValueError):
        revenue.reversal(parts={"a": 5}, reversed_before={"a": 5}, amount=1)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.integers(min_value=1, max_value=10**12), chain=chains, currency=st.sampled_from(["gbp", "usd", "eur"]))
def test_posted_to_the_ledger_every_paid_event_balances(amount, chain, currency):
    """The same splits posted through the ledger (SQLite's guard checks every transaction)."""
    from accounts.models import User
    from marketplace import services
    from marketplace.services.sharing import paid_event_lines
    from tests.marketplace.money import assert_ledger_balanced

    with transaction.atomic():
        users = {p: User.objects.create_user(email=f"p{p}-{amount}-{len(chain)}@x.test", kind="talent") for p in {lk.party for lk in chain}}
        real_chain = [Link(users[lk.party].pk, lk.share_bps) for lk in chain]
        clearing = services.account_for(kind=LedgerAccount.Kind.CLEARING, currency=currency)
        lines, split = paid_event_lines(amount=amount, currency=currency, debit=clearing, chain=real_chain, fee_bps=2000)
        services.ledger_post(key=f"prop-{amount}-{currency}-{len(chain)}", kind="sale", description="property", lines=lines)
        credited = sum(-services.account_balance(services.account_for(kind="payable", currency=currency, owner=u)) for u in users.values())
        assert credited + split.platform_fee == amount
        assert_ledger_balanced()
        transaction.set_rollback(True)
