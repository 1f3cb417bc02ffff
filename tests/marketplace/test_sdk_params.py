"""The SDK parameter check itself can fail: unknown keys, wrong literals, malformed integers."""
import stripe.params as params
import stripe.params.checkout as checkout_params

from tests.marketplace.sdk_params import check, check_requests


def test_the_check_accepts_what_the_sdk_declares_and_refuses_the_rest():
    assert check({"amount": "100", "currency": "gbp", "destination": "acct_1", "source_transaction": "ch_1",
                  "metadata": {"payout_id": "3"}}, params.TransferCreateParams) == []
    assert check({"amount": "1.5", "currency": "gbp", "destination": "acct_1"}, params.TransferCreateParams)
    assert check({"amount": "100", "currency": "gbp", "destination": "acct_1", "sauce": "x"}, params.TransferCreateParams)
    assert check({"mode": "payment", "automatic_tax": {"enabled": "true"}}, checkout_params.SessionCreateParams) == []
    assert check({"mode": "payment", "automatic_tax": {"enabled": "maybe"}}, checkout_params.SessionCreateParams)
    assert check({"type": "account_onboarding", "account": "acct_1", "return_url": "x", "refresh_url": "y"},
                 params.AccountLinkCreateParams) == []
    assert check({"account": "acct_1", "collection_options": {"bogus": "y"}}, params.AccountLinkCreateParams)  # unknown nested key
    assert check_requests([{"method": "POST", "path": "/v1/charges", "params": {}}])  # an endpoint nobody checked
