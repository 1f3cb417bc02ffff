"""Revocation's pro-rata rule, pure: what of a licence's order and of each paid add-on was left
unused when the licence was revoked, and the refund it earns. No database; integers only.

The order's rule: the unused share of the order's own term (`remaining / total` seconds) of what
was paid for it (price and tax), rounded half up. An add-on's rule is the same rule applied to what
the add-on added: its generations and its days, weighted by what each cost (the offer's prices per
generation and per day), so a days-only add-on refunds `unused seconds / its days' seconds` of what
it cost and a generations-only one `unused / bought` generations.

Which units are unused, layer by layer:
- days: an add-on's days were appended to the end of the term when it was paid, so they are the
  term's last days, the latest add-on's last of all; at revocation the remaining seconds are spent
  from the end: the latest add-on's days first, then the earlier ones', then the order's own term
  (which is the whole term less the add-ons' days).
- generations: the licence's own quota is used first, then each add-on's in the order they were
  paid; what an add-on added that is beyond what was used is unused.
- units an add-on no longer gives (withdrawn by its full refund, or never applied because it was
  paid after the licence ended) were never used: they count as unused.

Rounding: each share is `paid * unused / total` rounded half up, an integer in [0, paid]. The
order's refund is its share capped by what is still refundable of it (paid less what went back); an
add-on's is its share less what already went back of it (an earlier refund counts toward its unused
share), so no purchase returns more than was paid for it, and the licence's refunds together never
exceed what was paid for it and its add-ons (services.refunds.revocation_refund_settle)."""
from __future__ import annotations

from dataclasses import dataclass

DAY = 86_400


@dataclass(frozen=True)
class AddOnLayer:
    """What one paid add-on added, in the order add-ons were paid."""

    key: object
    generations: int  # bought
    days: int
    generations_withdrawn: int = 0  # taken off the licence since (or never put on it)
    days_withdrawn: int = 0
    generation_price: int = 0  # the offer's price per generation and per day (weights)
    day_price: int = 0

    @property
    def generations_on(self) -> int:
        return max(self.generations - self.generations_withdrawn, 0)

    @property
    def days_on(self) -> int:
        return max(self.days - self.days_withdrawn, 0)


def share(paid: int, unused: int, total: int) -> int:
    """`paid * unused / total` rounded half up, within [0, paid] (unused clamped to [0, total])."""
    if paid <= 0 or total <= 0:
        return 0
    unused = min(max(unused, 0), total)
    return (2 * paid * unused + total) // (2 * total)


def seconds_unused(*, remaining_seconds: int, layers: list[AddOnLayer]) -> tuple[dict, int]:
    """The remaining seconds of the term at revocation, spent from the end: each add-on's unused
    seconds of the days it still gives (latest first), and what is left for the order's own term."""
    left = max(int(remaining_seconds), 0)
    out = {}
    for layer in reversed(layers):
        mine = min(left, layer.days_on * DAY)
        out[layer.key] = mine
        left -= mine
    return out, left


def generations_unused(*, quota: int, used: int, layers: list[AddOnLayer]) -> dict:
    """Each add-on's unused generations of those it still gives: the licence's own quota (`quota`
    less every add-on's) is used first, then the add-ons' in the order they were paid."""
    added = sum(layer.generations_on for layer in layers)
    below = max(quota - added, 0)  # the order's own quota
    used = max(int(used), 0)
    out = {}
    for layer in layers:
        used_here = min(max(used - below, 0), layer.generations_on)
        out[layer.key] = layer.generations_on - used_here
        below += layer.generations_on
    return out


def order_term(*, remaining_seconds: int, total_seconds: int, layers: list[AddOnLayer]) -> tuple[int, int]:
    """The order's own term at revocation: (unused seconds, total seconds), the add-ons' days taken
    off the end of the licence's term."""
    added = sum(layer.days_on for layer in layers) * DAY
    total = max(int(total_seconds) - added, 1)
    _, left = seconds_unused(remaining_seconds=remaining_seconds, layers=layers)
    return min(left, total), total


def addon_share(*, layer: AddOnLayer, paid: int, unused_generations: int, unused_seconds: int) -> int:
    """An add-on's pro-rata refund of `paid` (its price and tax): the unused share of what it added,
    each kind weighted by what it cost; withdrawn units count as unused."""
    # in price x seconds: a generation weighs its price for a day's seconds, a second of a day its price
    g_weight, d_weight = layer.generation_price * DAY, layer.day_price
    if not (layer.generations * g_weight or layer.days * d_weight):  # no prices to weigh by: a generation as a day
        g_weight, d_weight = DAY, 1
    unused_g = min(max(unused_generations, 0) + layer.generations_withdrawn, layer.generations)
    unused_s = min(max(unused_seconds, 0) + layer.days_withdrawn * DAY, layer.days * DAY)
    total = layer.generations * g_weight + layer.days * DAY * d_weight
    return share(paid, unused_g * g_weight + unused_s * d_weight, total)


def withdrawable(*, layer: AddOnLayer, layers: list[AddOnLayer], quota: int, used: int, seconds_to_end: int) -> tuple[int, int]:
    """What a fully refunded add-on still gives that is unused now, to take off a live licence:
    (generations not yet used, whole days not yet started). `seconds_to_end`: from now to the
    licence's end."""
    generations = generations_unused(quota=quota, used=used, layers=layers)[layer.key]
    seconds, _ = seconds_unused(remaining_seconds=seconds_to_end, layers=layers)
    return generations, seconds[layer.key] // DAY
