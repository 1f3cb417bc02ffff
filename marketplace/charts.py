"""Earnings over time as a bar chart drawn on the server (SVG in the page: no script, no library).
`earnings_by_month` is the selector; `bar_chart` is pure geometry."""
from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from accounts.display import money

from .models import LedgerAccount, LedgerEntry, LedgerTransaction


def earnings_by_month(*, user, months: int = 12) -> dict[str, list[tuple[date, int]]]:
    """Per currency, (month, earned in minor units) for the last `months` months with earnings
    (sales, fees and their refunds; payouts are not earnings)."""
    TK = LedgerTransaction.Kind
    rows = (
        LedgerEntry.objects.filter(
            account__owner=user, account__kind=LedgerAccount.Kind.PAYABLE,
            transaction__kind__in=[TK.SALE, TK.USAGE_FEE, TK.USAGE_FEE_REFUND, TK.REFUND, TK.REFUND_FAILED, TK.DISPUTE_LOST],
        )
        .annotate(month=TruncMonth("transaction__created_at"))
        .values("currency", "month")
        .annotate(t=Sum("amount_minor"))
        .order_by("currency", "month")
    )
    series: dict[str, list[tuple[date, int]]] = {}
    for r in rows:
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        series.setdefault(r["currency"], []).append((month, -int(r["t"] or 0)))
    return {c: points[-months:] for c, points in series.items()}


def bar_chart(points: list[tuple[date, int]], currency: str, *, width: int = 640, height: int = 220) -> dict:
    """Bars, labels and gridlines for an SVG: every number the template needs, already placed."""
    left, bottom, top = 8, 28, 16
    plot_h = height - bottom - top
    peak = max([v for _, v in points] + [1])
    n = max(len(points), 1)
    slot = (width - left * 2) / n
    bar_w = max(min(slot * 0.6, 56), 4)
    bars = []
    for i, (month, value) in enumerate(points):
        h = round(plot_h * max(value, 0) / peak, 1)
        x = round(left + i * slot + (slot - bar_w) / 2, 1)
        bars.append({
            "x": x, "y": round(top + plot_h - h, 1), "w": round(bar_w, 1), "h": h, "label": month.strftime("%b %Y"),
            "short": month.strftime("%b"), "value": money(value, currency), "text_x": round(x + bar_w / 2, 1),
            "text_y": round(top + plot_h - h - 4, 1),
        })
    return {"width": width, "height": height, "bars": bars, "axis_y": top + plot_h, "label_y": height - 8, "currency": currency,
            "summary": ", ".join(f"{b['label']}: {b['value']}" for b in bars)}
