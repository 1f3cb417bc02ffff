"""Revenue share, exact in minor units. Pure functions: no database, no floats.

A paid event of `amount` minor units is split so:

1. The platform's fee is `amount * fee_bps // 10000`, rounded down: the platform never rounds in
   its own favour.
2. The rest (the net) flows along a royalty chain, as in the PIL's relative-percentage royalty
   policy. The first link is the rights holder of the licence that was used (the talent, the IP
   owner); each next link is the maker of the remix parent of the work before it. Each link
   passes `share_bps` of everything it receives to the next link up and keeps the rest; the last
   link keeps all it receives. So a direct parent takes its share of its child's revenue, its own
   parent takes a share of that, and so on up the chain.
3. Exact shares are rationals with denominator 10000^(links-1). Each party gets the floor of its
   exact share; the minor units left over (fewer than the number of parties) go one each to the
   largest remainders, ties to the party that comes first in the chain (largest remainder /
   Hamilton's method). The parts always sum to the whole, each is within one minor unit of its
   exact share, and the result depends only on the inputs.

Two policies, chosen by the offer whose fee or price is paid (Story Protocol's two royalty
policies):

- relative (LRP, the default): as above, each link passes `share_bps` of what it receives up, so
  far ancestors' shares shrink geometrically (10% per level: the 11th gets 10^-10 of the net);
- absolute (LAP): every ancestor is owed a fixed percentage *of the whole net*: the ancestor one
  level up from link k is owed `share_bps` of link k. The ancestors' asks together are capped by
  the offer's ceiling (`ceiling_bps`): over it, every ask is scaled down in proportion, so every
  ancestor keeps a share however deep the chain. The first link keeps the rest.

A link may stand for a work shown by several parties (`party` and `also`: a parent work's maker and
every talent and studio in it); they share that link's part equally.

Reversals (refunds, lost disputes) use the same rule on what the sale actually paid each account:
after reversing R of an original A in total, each account has had exactly its largest-remainder
share of R reversed, so a full refund reverses every share exactly.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

BPS = 10_000
PLATFORM = "platform"


RELATIVE = "relative"
ABSOLUTE = "absolute"
POLICIES = (RELATIVE, ABSOLUTE)


@dataclass(frozen=True)
class Link:
    party: Hashable  # who is paid (a user id)
    share_bps: int = 0  # what this link passes to the next one up (ignored on the last link)
    also: tuple = ()  # further parties sharing this link's part equally (the others shown in the work)

    @property
    def parties(self) -> tuple:
        out = [self.party]
        for p in self.also:
            if p not in out:
                out.append(p)
        return tuple(out)


@dataclass(frozen=True)
class Split:
    amount: int
    platform_fee: int
    shares: dict  # party -> minor units, only parties with a non-zero share, in chain order

    def parts(self) -> dict:
        out = {PLATFORM: self.platform_fee} if self.platform_fee else {}
        out.update(self.shares)
        return out


def _check_chain(chain: Sequence[Link]) -> None:
    if not chain:
        raise ValueError("A royalty chain has at least one link.")
    for link in chain:
        if not isinstance(link.share_bps, int) or isinstance(link.share_bps, bool) or not 0 <= link.share_bps <= BPS:
            raise ValueError("A share is a whole number of basis points between 0 and 10000.")


def _lcm_of_sizes(chain: Sequence[Link]) -> int:
    out = 1
    for link in chain:
        out = math.lcm(out, len(link.parties))
    return out


def _spread(weights: dict, link: Link, numerator: int, per_party_scale: int) -> None:
    """Give `numerator` (scaled by the lcm of party counts) to the link's parties in equal parts."""
    parties = link.parties
    each = numerator * per_party_scale // len(parties)
    for p in parties:
        weights[p] = weights.get(p, 0) + each


def chain_weights(chain: Sequence[Link], *, policy: str = RELATIVE, ceiling_bps: int = BPS) -> tuple[dict, int]:
    """Each party's exact share of the net as an integer numerator over a common denominator.
    Returns ({party: numerator} in chain order, denominator); the numerators sum to the
    denominator."""
    _check_chain(chain)
    if policy not in POLICIES:
        raise ValueError(f"The revenue policy is one of {', '.join(POLICIES)}.")
    if not isinstance(ceiling_bps, int) or isinstance(ceiling_bps, bool) or not 0 <= ceiling_bps <= BPS:
        raise ValueError("The ceiling is a whole number of basis points between 0 and 10000.")
    n = len(chain)
    scale = _lcm_of_sizes(chain)
    weights: dict = {}
    if policy == RELATIVE:
        denominator = BPS ** (n - 1)
        received = 1  # numerator of what link k receives, over BPS**k
        for k, link in enumerate(chain):
            if k < n - 1:
                keep = received * (BPS - link.share_bps) * BPS ** (n - 2 - k)
                received *= link.share_bps
            else:
                keep = received
            _spread(weights, link, keep, scale)
        return weights, denominator * scale
    # absolute: ancestor k (k >= 1) asks chain[k-1].share_bps of the whole net
    asks = [chain[k - 1].share_bps for k in range(1, n)]
    total = sum(asks)
    if total <= ceiling_bps:
        factor, denominator = max(total, 1), BPS * max(total, 1)  # ask_k / BPS, over a common base
        given = [a * factor for a in asks]
    else:
        denominator = BPS * total
        given = [a * ceiling_bps for a in asks]
    _spread(weights, chain[0], denominator - sum(given), scale)
    for k in range(1, n):
        _spread(weights, chain[k], given[k - 1], scale)
    return weights, denominator * scale


def allocate(total: int, weights: dict, denominator: int) -> dict:
    """Split `total` minor units in proportion `weights[p] / denominator` (weights summing to the
    denominator) by largest remainder; ties go to the party listed first."""
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise ValueError("Amounts are non-negative whole numbers of minor units.")
    if sum(weights.values()) != denominator or any(w < 0 for w in weights.values()):
        raise ValueError("Weights must be non-negative and sum to the denominator.")
    parts = {}
    remainders = []
    for index, (party, weight) in enumerate(weights.items()):
        q, r = divmod(total * weight, denominator)
        parts[party] = q
        remainders.append((-r, index, party))
    left = total - sum(parts.values())
    for _, _, party in sorted(remainders)[:left]:
        parts[party] += 1
    return parts


def split(*, amount: int, fee_bps: int, chain: Sequence[Link], policy: str = RELATIVE, ceiling_bps: int = BPS) -> Split:
    if not isinstance(fee_bps, int) or not 0 <= fee_bps <= BPS:
        raise ValueError("The platform fee is a whole number of basis points between 0 and 10000.")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("Amounts are non-negative whole numbers of minor units.")
    fee = amount * fee_bps // BPS
    weights, denominator = chain_weights(chain, policy=policy, ceiling_bps=ceiling_bps)
    shares = allocate(amount - fee, weights, denominator)
    return Split(amount=amount, platform_fee=fee, shares={p: v for p, v in shares.items() if v})


def reversal(*, parts: dict, reversed_before: dict, amount: int) -> dict:
    """What to take back from each account for a further reversal of `amount`, given what the
    original event paid each account (`parts`, in a fixed order) and what has been taken back from
    each already. Returns {account: minor units} summing to `amount` (an entry may be negative by
    a unit when largest remainder moves a unit between accounts)."""
    total = sum(parts.values())
    before = sum(reversed_before.values())
    after = before + amount
    if amount < 0 or after > total:
        raise ValueError("Cannot reverse more than the event paid.")
    target = allocate(after, dict(parts), total) if total else {}
    return {k: target[k] - reversed_before.get(k, 0) for k in parts if target[k] - reversed_before.get(k, 0)}
