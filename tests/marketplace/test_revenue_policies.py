"""Revenue share policies, proved with hypothesis against a reference in rationals: relative (each
level passes its share of what it receives) and absolute (each ancestor's fixed percentage of the
whole net, ancestors together capped by a ceiling, scaled in proportion over it); works shown by
several parties (a parent's maker and every talent and studio in it) share their part equally."""
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace import revenue
from marketplace.revenue import ABSOLUTE, BPS, RELATIVE, Link

amounts = st.integers(min_value=0, max_value=10**13)
bps = st.integers(min_value=0, max_value=BPS)
parties = st.integers(min_value=1, max_value=8)
links = st.builds(Link, party=parties, share_bps=bps, also=st.lists(parties, max_size=3).map(tuple))
chains = st.lists(links, min_size=1, max_size=14)
policies = st.sampled_from([RELATIVE, ABSOLUTE])


def reference(amount: int, fee_bps: int, chain, policy: str, ceiling: int) -> dict:
    net = Fraction(amount - amount * fee_bps // BPS)
    level_parts = []
    if policy == RELATIVE:
        received = net
        for k, link in enumerate(chain):
            passes = Fraction(link.share_bps, BPS) if k < len(chain) - 1 else Fraction(0)
            level_parts.append(received * (1 - passes))
            received *= passes
    else:
        asks = [Fraction(chain[k - 1].share_bps, BPS) for k in range(1, len(chain))]
        total = sum(asks, Fraction(0))
        cap = Fraction(ceiling, BPS)
        got = [a if total <= cap else a * cap / total for a in asks]
        level_parts = [net * (1 - sum(got, Fraction(0)))] + [net * g for g in got]
    out: dict = {}
    for link, part in zip(chain, level_parts):
        for p in link.parties:
            out[p] = out.get(p, 0) + part / len(link.parties)
    return out


@given(amount=amounts, fee_bps=bps, chain=chains, policy=policies, ceiling=bps)
def test_every_policy_is_exact_within_a_minor_unit_and_sums_to_the_whole(amount, fee_bps, chain, policy, ceiling):
    split = revenue.split(amount=amount, fee_bps=fee_bps, chain=chain, policy=policy, ceiling_bps=ceiling)
    assert split.platform_fee + sum(split.shares.values()) == amount
    exact = reference(amount, fee_bps, chain, policy, ceiling)
    for party, value in exact.items():
        assert abs(split.shares.get(party, 0) - value) < 1
    assert all(v > 0 for v in split.shares.values())
    again = revenue.split(amount=amount, fee_bps=fee_bps, chain=chain, policy=policy, ceiling_bps=ceiling)
    assert again == split


@given(amount=st.integers(min_value=0, max_value=10**12), chain=chains, ceiling=bps)
def test_absolute_ancestors_together_never_take_more_than_the_ceiling(amount, chain, ceiling):
    split = revenue.split(amount=amount, fee_bps=0, chain=chain, policy=ABSOLUTE, ceiling_bps=ceiling)
    first = set(chain[0].parties)
    ancestors_only = sum(v for p, v in split.shares.items() if p not in first)
    assert ancestors_only <= amount * ceiling // BPS + len(chain) * 4  # a minor unit per party at most


def test_an_eleven_deep_chain_pays_the_root_under_the_absolute_policy():
    """The relative policy gives the root of an 11-deep, 10%-per-level chain 10^-10 of the net (0
    minor units of 1000); the absolute policy gives every ancestor its own percentage."""
    chain = [Link(k, 1_000) for k in range(11)]
    relative = revenue.split(amount=1_000, fee_bps=0, chain=chain)
    assert relative.shares.get(10, 0) == 0
    absolute = revenue.split(amount=1_000, fee_bps=0, chain=chain, policy=ABSOLUTE, ceiling_bps=5_000)
    # ten ancestors ask 10% each (100%) over a 50% ceiling: each gets 5%
    assert [absolute.shares[k] for k in range(1, 11)] == [50] * 10 and absolute.shares[0] == 500
    roomy = revenue.split(amount=1_000, fee_bps=0, chain=chain[:4], policy=ABSOLUTE, ceiling_bps=5_000)
    assert roomy.shares == {0: 700, 1: 100, 2: 100, 3: 100}


def test_a_parent_shown_by_several_parties_pays_each_equally():
    # the work's holder passes 20% up; the parent work was made by "maker" and shows "talent" and "studio"
    chain = [Link("holder", 2_000), Link("maker", 0, also=("talent", "studio"))]
    split = revenue.split(amount=3_000, fee_bps=0, chain=chain)
    assert split.shares == {"holder": 2_400, "maker": 200, "talent": 200, "studio": 200}


def test_bad_policy_or_ceiling_is_refused():
    with pytest.raises(ValueError):
        revenue.split(amount=1, fee_bps=0, chain=[Link(1)], policy="nope")
    with pytest.raises(ValueError):
        revenue.split(amount=1, fee_bps=0, chain=[Link(1)], policy=ABSOLUTE, ceiling_bps=10_001)
