"""From licensing's records to royalty chains, and from a paid event to its balanced ledger lines.

The remix chain of a use is a walk up `licensing.UsageRecord.parent` (generation writes it; the
money side only reads it). The first link is the rights holder of the licence used; each further
link is the maker (licensee) of the parent work; each link passes up the revenue share of the
licence its work was made under ("remixes pay X% of their revenue up the chain")."""
from __future__ import annotations

from django.conf import settings

from accounts.errors import Conflict
from licensing.models import Licence, UsageRecord

from .. import revenue
from ..models import LedgerAccount
from .ledger import account_for
from .studios import holders_for_organisations

MAX_CHAIN = 32


def holder_party(licence: Licence) -> int:
    """Who is paid for a licence's holding: the talent for a likeness, the studio (its money holder)
    for an IP asset."""
    from .studios import organisation_holder

    if licence.likeness_id:
        return licence.likeness.owner_id
    return organisation_holder(organisation=licence.ip_asset.studio_id).pk


def chain_for_licence(licence: Licence) -> list[revenue.Link]:
    """A licence sale: the holder is paid; no remix chain."""
    return [revenue.Link(party=holder_party(licence), share_bps=0)]


def _usage_rows(ids: set[int], memo: dict) -> None:
    need = {i for i in ids if i not in memo}
    while need:
        batch = list(need)[:2000]
        rows = UsageRecord.objects.filter(pk__in=batch).values_list(
            "id", "parent_id", "licence__licensee_id", "licence__likeness__owner_id", "licence__ip_asset__studio_id",
            "licence__terms__revenue_share_bps",
        )
        found = set()
        rows = list(rows)
        holders = holders_for_organisations({studio for _, _, _, owner, studio, _ in rows if owner is None})
        for pk, parent_id, licensee_id, owner_id, studio_id, bps in rows:
            memo[pk] = (parent_id, licensee_id, owner_id if owner_id is not None else holders.get(studio_id), bps)
            found.add(pk)
            if parent_id and parent_id not in memo:
                need.add(parent_id)
        need -= set(batch)
        need -= found
        for missing in set(batch) - found:
            memo[missing] = None


def chains_for_usages(usage_ids, memo: dict | None = None) -> dict[int, list[revenue.Link]]:
    """Royalty chains for many uses at once (a few queries per level, not per use)."""
    memo = {} if memo is None else memo
    pending = set(usage_ids)
    for _ in range(MAX_CHAIN + 1):
        _usage_rows(pending, memo)
        pending = {memo[i][0] for i in pending if memo.get(i) and memo[i][0]}
        if not pending:
            break
    chains = {}
    for usage_id in usage_ids:
        row = memo.get(usage_id)
        if row is None:
            raise Conflict(f"No usage record {usage_id}.")
        parent_id, _, owner_id, bps = row
        if owner_id is None:
            raise Conflict(f"Usage record {usage_id} has no rights holder to pay.")
        links = [revenue.Link(party=owner_id, share_bps=bps if parent_id else 0)]
        seen = {usage_id}
        while parent_id and len(links) < MAX_CHAIN:
            if parent_id in seen:  # a loop in the lineage: stop at the first repeat
                break
            seen.add(parent_id)
            parent = memo.get(parent_id)
            if parent is None:
                break
            next_parent, licensee_id, _, parent_bps = parent
            links.append(revenue.Link(party=licensee_id, share_bps=parent_bps if next_parent else 0))
            parent_id = next_parent
        chains[usage_id] = links
    return chains


def chain_for_usage(usage: UsageRecord) -> list[revenue.Link]:
    return chains_for_usages([usage.pk])[usage.pk]


def paid_event_lines(
    *, amount: int, currency: str, debit: LedgerAccount, chain: list[revenue.Link], fee_bps: int | None = None, cache: dict | None = None
) -> tuple[list, revenue.Split]:
    """The balanced lines of one paid event: `debit` (clearing for a charge, the buyer's credit
    for a per-generation fee) takes the whole amount; the platform's fee and every party's share
    are credited."""
    cache = {} if cache is None else cache
    fee_bps = settings.PLATFORM_FEE_BPS if fee_bps is None else fee_bps
    split = revenue.split(amount=amount, fee_bps=fee_bps, chain=chain)

    def acct(kind, owner=None):
        k = (kind, owner, currency)
        if k not in cache:
            cache[k] = account_for(kind=kind, currency=currency, owner=owner)
        return cache[k]

    lines = [(debit, amount)]
    if split.platform_fee:
        lines.append((acct(LedgerAccount.Kind.PLATFORM_REVENUE), -split.platform_fee))
    for party, share in split.shares.items():
        lines.append((acct(LedgerAccount.Kind.PAYABLE, party), -share))
    return lines, split
