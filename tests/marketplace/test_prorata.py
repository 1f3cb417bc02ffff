"""Revocation's pro-rata rule (`marketplace.prorata`), pure: which days and generations of a licence
were left unused, layer by layer, and the share of what was paid that each earns back, rounded half
up, never more than was paid."""
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.prorata import (
    DAY,
    AddOnLayer,
    addon_share,
    generations_unused,
    order_term,
    seconds_unused,
    share,
    withdrawable,
)


def test_share_rounds_half_up_and_stays_within_what_was_paid():
    assert share(1_000, 1, 3) == 333  # 333.33
    assert share(1_000, 2, 3) == 667  # 666.67
    assert share(1, 1, 2) == 1  # a half rounds up
    assert share(3, 1, 2) == 2  # 1.5
    assert share(999, 5, 5) == 999 and share(999, 0, 5) == 0
    assert share(999, 7, 5) == 999 and share(999, -1, 5) == 0  # unused clamped to [0, total]
    assert share(0, 1, 1) == 0 and share(10, 1, 0) == 0


def test_the_remaining_days_are_spent_from_the_end_latest_add_on_first():
    a = AddOnLayer(key="a", generations=0, days=10, day_price=100)
    b = AddOnLayer(key="b", generations=0, days=5, day_price=100)
    # 12 days left of a term of 30 + 10 + 5: b's 5, then 7 of a's 10, none of the order's own
    spent, left = seconds_unused(remaining_seconds=12 * DAY, layers=[a, b])
    assert spent == {"a": 7 * DAY, "b": 5 * DAY} and left == 0
    assert order_term(remaining_seconds=12 * DAY, total_seconds=45 * DAY, layers=[a, b]) == (0, 30 * DAY)
    # 20 days left: both add-ons whole, 5 of the order's own 30
    assert order_term(remaining_seconds=20 * DAY, total_seconds=45 * DAY, layers=[a, b]) == (5 * DAY, 30 * DAY)
    # days taken back (a full refund) are no longer at the end: a's 4 left, after b
    a_cut = AddOnLayer(key="a", generations=0, days=10, days_withdrawn=6, day_price=100)
    spent, left = seconds_unused(remaining_seconds=12 * DAY, layers=[a_cut, b])
    assert spent == {"a": 4 * DAY, "b": 5 * DAY} and left == 3 * DAY


def test_the_licences_own_quota_is_used_first_then_add_ons_in_the_order_paid():
    a = AddOnLayer(key="a", generations=10, days=0, generation_price=50)
    b = AddOnLayer(key="b", generations=20, days=0, generation_price=50)
    # quota 5 + 10 + 20 = 35: 12 used is the 5 own and 7 of a's
    assert generations_unused(quota=35, used=12, layers=[a, b]) == {"a": 3, "b": 20}
    assert generations_unused(quota=35, used=35, layers=[a, b]) == {"a": 0, "b": 0}
    assert generations_unused(quota=35, used=0, layers=[a, b]) == {"a": 10, "b": 20}
    # a's 3 unused were taken back (quota 32): b's layer starts at 12
    a_cut = AddOnLayer(key="a", generations=10, days=0, generations_withdrawn=3, generation_price=50)
    assert generations_unused(quota=32, used=14, layers=[a_cut, b]) == {"a": 0, "b": 18}


def test_an_add_ons_share_weighs_its_generations_and_days_by_their_prices():
    layer = AddOnLayer(key="x", generations=10, days=7, generation_price=300, day_price=500)  # 3,000 + 3,500
    assert addon_share(layer=layer, paid=6_500, unused_generations=10, unused_seconds=7 * DAY) == 6_500
    assert addon_share(layer=layer, paid=6_500, unused_generations=0, unused_seconds=0) == 0
    assert addon_share(layer=layer, paid=6_500, unused_generations=5, unused_seconds=0) == 1_500
    assert addon_share(layer=layer, paid=6_500, unused_generations=0, unused_seconds=7 * DAY // 2) == 1_750
    # with tax (paid 7,800 = 6,500 + 20%): the same fraction of what was paid
    assert addon_share(layer=layer, paid=7_800, unused_generations=5, unused_seconds=0) == 1_800
    # withdrawn units were never used: they count as unused
    cut = AddOnLayer(key="x", generations=10, days=7, generations_withdrawn=10, days_withdrawn=7, generation_price=300, day_price=500)
    assert addon_share(layer=cut, paid=6_500, unused_generations=0, unused_seconds=0) == 6_500


def test_a_fully_refunded_add_on_takes_back_only_unused_generations_and_whole_days_not_started():
    a = AddOnLayer(key="a", generations=10, days=5, generation_price=50, day_price=100)
    b = AddOnLayer(key="b", generations=0, days=3, day_price=100)
    # quota 5 own + 10; 8 used: a has 7 unused. 6.5 days to the end: b's 3, then 3.5 of a's: 3 whole days not started
    assert withdrawable(layer=a, layers=[a, b], quota=15, used=8, seconds_to_end=int(6.5 * DAY)) == (7, 3)
    assert withdrawable(layer=b, layers=[a, b], quota=15, used=8, seconds_to_end=int(6.5 * DAY)) == (0, 3)
    # everything used and started: nothing to take back, and never below what is used
    assert withdrawable(layer=a, layers=[a, b], quota=15, used=15, seconds_to_end=2 * DAY) == (0, 0)


@settings(max_examples=300, deadline=None)
@given(
    price=st.integers(1, 10**9), tax=st.integers(0, 10**8),
    layers=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 40), st.integers(1, 10**6), st.integers(1, 10**6),
                              st.integers(0, 50), st.integers(0, 40)), min_size=0, max_size=4),
    own_days=st.integers(1, 400), own_quota=st.integers(0, 100), used_frac=st.floats(0, 1), left_frac=st.floats(0, 1),
)
def test_the_licences_refunds_never_exceed_what_was_paid_for_it_and_its_add_ons(price, tax, layers, own_days, own_quota, used_frac,
                                                                              left_frac):
    built = []
    for i, (g, d, gp, dp, gw, dw) in enumerate(layers):
        if not (g or d):
            d = 1
        built.append(AddOnLayer(key=i, generations=g, days=d, generations_withdrawn=min(gw, g), days_withdrawn=min(dw, d),
                                generation_price=gp if g else 0, day_price=dp if d else 0))
    quota = own_quota + sum(layer.generations_on for layer in built)
    total = (own_days + sum(layer.days_on for layer in built)) * DAY
    remaining = int(total * left_frac)
    used = int(quota * used_frac)
    unused_s, _ = seconds_unused(remaining_seconds=remaining, layers=built)
    unused_g = generations_unused(quota=quota, used=used, layers=built)
    order_left, order_total = order_term(remaining_seconds=remaining, total_seconds=total, layers=built)
    assert order_total == own_days * DAY and 0 <= order_left <= order_total
    assert sum(unused_s.values()) + order_left == remaining  # every remaining second counted once
    assert sum(unused_g.values()) <= quota - used
    paid = {i: 100 * (layer.generations * layer.generation_price + layer.days * layer.day_price) for i, layer in enumerate(built)}
    refunds = {i: addon_share(layer=layer, paid=paid[i], unused_generations=unused_g[i], unused_seconds=unused_s[i]) for i, layer in enumerate(built)}
    order_refund = share(price + tax, order_left, order_total)
    assert 0 <= order_refund <= price + tax
    for i in refunds:
        assert 0 <= refunds[i] <= paid[i]
    assert order_refund + sum(refunds.values()) <= price + tax + sum(paid.values())
