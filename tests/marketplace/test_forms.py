"""The marketplace's amount fields are the shared major-units field; each form keeps its meaning
of a blank amount (an offer's optional fee: 0, not charged; a browse filter: None, no filter)."""
from marketplace.forms import BrowseForm, OfferForm


def _offer(**over):
    data = {"title": "Campaign", "price": "250.00", "currency": "gbp", "duration_days": 30, "generation_quota": 10,
            "derivatives": "none", "indemnity": "none", **over}
    return OfferForm(data)


def test_an_offers_blank_optional_amounts_are_zero_and_typed_ones_are_minor_units():
    form = _offer(per_generation_fee="", addon_day_price="1.5")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["price"] == 25_000
    assert form.cleaned_data["per_generation_fee"] == 0 and form.cleaned_data["addon_generation_price"] == 0
    assert form.cleaned_data["addon_day_price"] == 150


def test_an_offers_amount_refuses_three_decimals_negative_and_above_the_ceiling():
    for bad in ("1.234", "-1", "100000000.01", "ten"):
        form = _offer(price=bad)
        assert not form.is_valid() and "price" in form.errors, bad
    assert _offer(price="100000000").is_valid()


def test_a_blank_browse_price_filter_is_no_filter():
    form = BrowseForm({"min_price": "", "max_price": "12.50"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["min_price"] is None and form.cleaned_data["max_price"] == 1_250
