"""Writes of the marketplace, by topic: offers and orders, prepaid credit, payees, payment events,
refunds and disputes, payouts, the ledger and reconciliation. No payment-provider call runs inside
an open transaction; every outgoing call carries an idempotency key derived from its row."""
from .bundles import bundle_cancel, bundle_checkout_create, bundle_mark_paid, bundle_offline_complete, bundle_refund_submit
from .credit import (
    credit_balance,
    offline_topup_complete,
    topup_cancel,
    topup_create,
    topup_mark_paid,
    usage_fee_draw,
)
from .events import payment_event_ingest, payment_event_process, payment_events_replay, payment_events_retry
from .fees import provider_fees_sync
from .ledger import LedgerImbalance, Posting, account_balance, account_for, accounts_for, ledger_post, ledger_post_many
from .orders import (
    MAX_PRICE_MINOR,
    offer_create,
    offline_checkout_complete,
    order_cancel,
    order_create,
    order_mark_paid,
    split_sale,
)
from .payees import offline_onboarding_complete, payee_account_apply, payee_onboarding_start, payee_refresh
from .payouts import (
    payout_fail,
    payout_mark_paid,
    payout_reserve,
    payout_retry,
    payout_run,
    payout_send,
    transfer_reversals_sync,
)
from .portraits import portrait_set
from .reconcile import ledger_checks, ledger_reconcile
from .refunds import (
    dispute_sync,
    order_refund,
    refund_apply,
    refund_submit,
    refund_sync,
    refunds_submit_pending,
    revocation_refund_settle,
    revocation_refunds_sweep,
    usage_charge_refund,
)

__all__ = [
    "bundle_cancel",
    "bundle_checkout_create",
    "bundle_mark_paid",
    "bundle_offline_complete",
    "bundle_refund_submit",
    "LedgerImbalance",
    "MAX_PRICE_MINOR",
    "Posting",
    "account_balance",
    "account_for",
    "accounts_for",
    "credit_balance",
    "dispute_sync",
    "ledger_checks",
    "ledger_post",
    "ledger_post_many",
    "ledger_reconcile",
    "offer_create",
    "offline_checkout_complete",
    "offline_onboarding_complete",
    "offline_topup_complete",
    "order_cancel",
    "order_create",
    "order_mark_paid",
    "order_refund",
    "payee_account_apply",
    "payee_onboarding_start",
    "payee_refresh",
    "payment_event_ingest",
    "payment_event_process",
    "payment_events_replay",
    "payment_events_retry",
    "payout_fail",
    "payout_mark_paid",
    "payout_reserve",
    "payout_retry",
    "payout_run",
    "payout_send",
    "provider_fees_sync",
    "refund_apply",
    "refund_submit",
    "refund_sync",
    "refunds_submit_pending",
    "revocation_refund_settle",
    "revocation_refunds_sweep",
    "split_sale",
    "topup_cancel",
    "topup_create",
    "topup_mark_paid",
    "transfer_reversals_sync",
    "usage_charge_refund",
    "usage_fee_draw",
    "portrait_set",
]
