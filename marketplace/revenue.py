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

Reversals (refunds, lost disputes) use the same rule on what the sale actually paid each account:
after reversing R of an original A in total, each account has had exactly its largest-remainder
share of R reversed, so a full refund reverses every share exactly.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

BPS = 10_000
PLATFORM = "platform"


@dataclass(frozen=True)
class Link:
    party: Hashable  # who is paid (a user id)
    share_bps: int = 0  # what this link passes to the next one up (ignored on the last link)


@dataclass(frozen=True)
class Split:
    amount: int
    platform_fee: int
    shares: dict  # party -> minor units, only parties with a non-zero share, in chain order

    def parts(self) -> dict:
        out = {PLATFORM: self.platform_fee} if self.platform_fee else {}
        out.update(self.shares)
        return out


def chain_weights(chain: Sequence[Link]) -> tuple[dict, int]:
    """Each party's exact share of the net as an integer numerator over a common denominator.
    Returns ({party: numerator} in chain order, denominator); the numerators sum to the
    denominator."""
    if not chain:
        raise ValueError("A royalty chain has at least one link.")
    n = len(chain)
    denominator = BPS ** (n - 1)
    weights: dict = {}
    received = 1  # numerator of what link k receives, over BPS**k
    for k, link in enumerate(chain):
        if not isinstance(link.share_bps, int) or not 0 <= link.share_bps <= BPS:
            raise ValueError("A share is a whole number of basis points between 0 and 10000.")
        if k < n - 1:
            keep = received * (BPS - link.share_bps) * BPS ** (n - 2 - k)
            received *= link.share_bps
        else:
            keep = received
        weights[link.party] = weights.get(link.party, 0) + keep
    return weights, denominator


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


def split(*, amount: int, fee_bps: int, chain: Sequence[Link]) -> Split:
    if not isinstance(fee_bps, int) or not 0 <= fee_bps <= BPS:
        raise ValueError("The platform fee is a whole number of basis points between 0 and 10000.")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("Amounts are non-negative whole numbers of minor units.")
    fee = amount * fee_bps // BPS
    weights, denominator = chain_weights(chain)
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
