"""Every row that points at a holding through `likeness` / `ip_asset` names exactly one of them:
the check built by `one_holding_constraint` refuses both and neither, on each model that has it."""
import pytest
from django.core.exceptions import ValidationError

from generation.models import ShowcaseItem
from licensing.models import AccessEntry, Licence
from marketplace.models import ListingPortrait, Offer

pytestmark = pytest.mark.django_db

MODELS = [
    (AccessEntry, "access_entry_one_holding"),
    (Licence, "licence_one_holding"),
    (Offer, "offer_one_holding"),
    (ListingPortrait, "portrait_one_holding"),
    (ShowcaseItem, "showcase_one_holding"),
]


@pytest.mark.parametrize(("model", "name"), MODELS, ids=[name for _, name in MODELS])
@pytest.mark.parametrize(
    ("likeness_id", "ip_asset_id", "allowed"),
    [(1, None, True), (None, 2, True), (1, 2, False), (None, None, False)],
    ids=["likeness", "ip_asset", "both", "neither"],
)
def test_a_row_names_exactly_one_holding(model, name, likeness_id, ip_asset_id, allowed):
    (constraint,) = [c for c in model._meta.constraints if c.name == name]
    row = model(likeness_id=likeness_id, ip_asset_id=ip_asset_id)
    if allowed:
        constraint.validate(model, row)
    else:
        with pytest.raises(ValidationError):
            constraint.validate(model, row)
