"""From licensing's records to royalty chains, and from a paid event to its balanced ledger lines.

The remix chain of a use is a walk up `licensing.UsageRecord.parent` (generation writes it; the
money side only reads it). The first link is the rights holder of the licence used; each further
link is a parent work, shared by everyone with rights in it: its maker (the licensee) and the
holder of every licence it was made under (every talent and studio shown in it: the records with
the parent's reference); each link passes up the revenue share of the licence its work was made
under ("remixes pay X% of their revenue up the chain"). How the shares combine (relative or
absolute, with a ceiling) is the policy of the offer whose fee or price is being paid."""
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
            "licence__terms__revenue_share_bps", "reference",
        )
        found = set()
        rows = list(rows)
        holders = holders_for_organisations({row[4] for row in rows if row[3] is None})
        for pk, parent_id, licensee_id, owner_id, studio_id, bps, reference in rows:
            memo[pk] = (parent_id, licensee_id, owner_id if owner_id is not None else holders.get(studio_id), bps, reference)
            found.add(pk)
            if parent_id and parent_id not in memo:
                need.add(parent_id)
        need -= set(batch)
        need -= found
        for missing in set(batch) - found:
            memo[missing] = None


def _ancestor_links(parent_id, memo: dict, seen: set, room: int) -> list[revenue.Link]:
    """The links above a work: its parent work, the parent's parent, … (at most `room`), each
    shared by the work's maker and (filled in later) every rights holder shown in it; `also` holds
    the work's reference until then. Stops at a loop or a missing record."""
    links = []
    while parent_id and len(links) < room:
        if parent_id in seen:  # a loop in the lineage: stop at the first repeat
            break
        seen.add(parent_id)
        parent = memo.get(parent_id)
        if parent is None:
            break
        next_parent, licensee_id, _, parent_bps, reference = parent
        links.append(revenue.Link(party=licensee_id, share_bps=parent_bps if next_parent else 0, also=reference))
        parent_id = next_parent
    return links


def _load_lineage(ids, memo: dict) -> None:
    pending = set(ids)
    for _ in range(MAX_CHAIN + 1):
        _usage_rows(pending, memo)
        pending = {memo[i][0] for i in pending if memo.get(i) and memo[i][0]}
        if not pending:
            break


def _with_shown(chains: dict, memo: dict) -> dict:
    """Every rights holder shown in each parent work shares its link with the work's maker."""
    shown = _shown_holders({link.also for links in chains.values() for link in links[1:]}, memo)
    return {
        key: [links[0]] + [revenue.Link(party=lk.party, share_bps=lk.share_bps, also=shown.get(lk.also, ())) for lk in links[1:]]
        for key, links in chains.items()
    }


def chains_for_usages(usage_ids, memo: dict | None = None) -> dict[int, list[revenue.Link]]:
    """Royalty chains for many uses at once (a few queries per level, not per use)."""
    memo = {} if memo is None else memo
    _load_lineage(usage_ids, memo)
    chains = {}
    for usage_id in usage_ids:
        row = memo.get(usage_id)
        if row is None:
            raise Conflict(f"No usage record {usage_id}.")
        parent_id, _, owner_id, bps, _ = row
        if owner_id is None:
            raise Conflict(f"Usage record {usage_id} has no rights holder to pay.")
        links = [revenue.Link(party=owner_id, share_bps=bps if parent_id else 0)]
        links += _ancestor_links(parent_id, memo, {usage_id}, MAX_CHAIN - 1)
        chains[usage_id] = links
    return _with_shown(chains, memo)


def chain_for_sale(licence: Licence, *, remix_of_id: int | None, memo: dict | None = None) -> list[revenue.Link]:
    """A licence sale. Bought to remix a work (`remix_of_id`, that work's lead use record), the sale
    is shared up the work's chain exactly as a generation of the remix would be: the holder first,
    passing up its terms' revenue share; then the work itself (its maker and every rights holder
    shown in it), its parent, and so on. Otherwise the holder alone is paid."""
    if remix_of_id is None:
        return chain_for_licence(licence)
    memo = {} if memo is None else memo
    _load_lineage([remix_of_id], memo)
    if memo.get(remix_of_id) is None:
        raise Conflict(f"No usage record {remix_of_id}.")
    links = [revenue.Link(party=holder_party(licence), share_bps=licence.terms.revenue_share_bps)]
    links += _ancestor_links(remix_of_id, memo, set(), MAX_CHAIN - 1)
    return _with_shown({"sale": links}, memo)["sale"]


def _shown_holders(references: set, memo: dict) -> dict[str, tuple]:
    """{work reference: holders of every licence the work was made under, in record order}."""
    cache = memo.setdefault("__shown__", {})
    need = [r for r in references if r not in cache]
    for i in range(0, len(need), 2000):
        batch = need[i : i + 2000]
        rows = list(
            UsageRecord.objects.filter(reference__in=batch).order_by("pk")
            .values_list("reference", "licence__likeness__owner_id", "licence__ip_asset__studio_id")
        )
        holders = holders_for_organisations({studio for _, owner, studio in rows if owner is None})
        found: dict = {r: [] for r in batch}
        for reference, owner_id, studio_id in rows:
            holder = owner_id if owner_id is not None else holders.get(studio_id)
            if holder is not None and holder not in found[reference]:
                found[reference].append(holder)
        cache.update({r: tuple(v) for r, v in found.items()})
    return {r: cache[r] for r in references}


def chain_for_usage(usage: UsageRecord) -> list[revenue.Link]:
    return chains_for_usages([usage.pk])[usage.pk]


def paid_event_lines(
    *, amount: int, currency: str, debit: LedgerAccount, chain: list[revenue.Link], fee_bps: int | None = None, cache: dict | None = None,
    policy: str = revenue.RELATIVE, ceiling_bps: int = revenue.BPS,
) -> tuple[list, revenue.Split]:
    """The balanced lines of one paid event: `debit` (clearing for a charge, the buyer's credit
    for a per-generation fee) takes the whole amount; the platform's fee and every party's share
    are credited."""
    cache = {} if cache is None else cache
    fee_bps = settings.PLATFORM_FEE_BPS if fee_bps is None else fee_bps
    split = revenue.split(amount=amount, fee_bps=fee_bps, chain=chain, policy=policy, ceiling_bps=ceiling_bps)

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
