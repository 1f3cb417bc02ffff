from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import Forbidden, InvalidInput
from accounts.idempotency import idempotent
from licensing.api import TermsSerializer
from licensing.models import LicenceTerms
from licensing.selectors import access_ip_asset_managed, access_likeness_managed

from . import services
from .models import RevenuePolicy
from .payments import WebhookError, gateway
from .selectors import (
    access_addon_for_moderation,
    access_offer_buyable,
    access_order,
    access_order_for_moderation,
    access_receipt,
    access_topup,
    access_usage_charge_for_moderation,
    addon_refunds,
    balance_for,
    credit_history_for,
    credit_summary_for,
    earnings_csv_for,
    earnings_for,
    earnings_summary_for,
    listing_rows,
    payee_account_for,
    payouts_for,
    receipt_for,
    receipts_for,
    usage_charges_for,
)
from .services.payees import PAYEE_KINDS


class OfferOutput(serializers.Serializer):
    id = serializers.UUIDField()
    likeness_id = serializers.UUIDField(allow_null=True)
    ip_asset_id = serializers.UUIDField(allow_null=True)
    title = serializers.CharField()
    price_minor = serializers.IntegerField()
    per_generation_fee_minor = serializers.IntegerField()
    currency = serializers.CharField()
    is_active = serializers.BooleanField()
    revenue_policy = serializers.CharField()
    revenue_ceiling_bps = serializers.IntegerField()
    addon_generation_price_minor = serializers.IntegerField()
    addon_day_price_minor = serializers.IntegerField()
    indemnity = serializers.CharField()
    indemnity_cap_minor = serializers.IntegerField(allow_null=True)
    indemnity_price_minor = serializers.IntegerField()
    terms = TermsSerializer()


class ListingOutput(serializers.Serializer):
    """The declared fields are the schema; `to_representation` writes the same shape directly (the
    marketplace list is the API's busiest read: DRF's per-field machinery cost 4x a bare JSON view
    at 1,000 listings). tests/marketplace/test_api_lists.py holds it equal to the generic path."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    bio = serializers.CharField()
    offers = OfferOutput(many=True)

    def to_representation(self, instance):
        if isinstance(instance, dict):  # a row of selectors.listing_rows
            return {"id": str(instance["id"]), "name": instance["name"], "bio": instance["bio"], "offers": [_offer_dict(o) for o in instance["offers"]]}
        return {"id": str(instance.id), "name": instance.name, "bio": instance.bio, "offers": [_offer_dict(o) for o in instance.offers.all()]}


_TERM_FIELDS = tuple(TermsSerializer.Meta.fields)
_OFFER_FIELDS = tuple((name, isinstance(f, serializers.UUIDField)) for name, f in OfferOutput._declared_fields.items() if name != "terms")


def _terms_dict(t: LicenceTerms) -> dict:
    out = {name: getattr(t, name) for name in _TERM_FIELDS}
    out["plain_language"] = t.plain_language()
    return out


def _offer_dict(o) -> dict:
    out = {}
    for name, is_uuid in _OFFER_FIELDS:
        value = getattr(o, name)
        out[name] = str(value) if is_uuid and value is not None else value
    out["terms"] = _terms_dict(o.terms)
    return out


class OrderOutput(serializers.Serializer):
    id = serializers.UUIDField()
    offer_id = serializers.UUIDField()
    licence_id = serializers.UUIDField()
    licence_status = serializers.CharField(source="licence.status")
    amount_minor = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField()
    payment_backend = serializers.CharField()
    checkout_url = serializers.CharField()


class ListingListApi(APIView):
    """The marketplace: listed likenesses and their offers."""

    @extend_schema(responses=ListingOutput(many=True))
    def get(self, request):
        return Response(ListingOutput(listing_rows(), many=True).data)


class OfferCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=160)
        price_minor = serializers.IntegerField(min_value=0, max_value=services.MAX_PRICE_MINOR)
        per_generation_fee_minor = serializers.IntegerField(min_value=0, max_value=services.MAX_PRICE_MINOR, default=0)
        currency = serializers.ChoiceField(choices=["gbp", "usd", "eur"])
        commercial_use = serializers.BooleanField(default=True)
        channels = serializers.ListField(child=serializers.CharField(max_length=32), default=list, max_length=10)
        territories = serializers.ListField(child=serializers.CharField(min_length=2, max_length=2), default=list, max_length=250)
        duration_days = serializers.IntegerField(min_value=1, max_value=3650, default=30)
        generation_quota = serializers.IntegerField(min_value=1, max_value=1_000_000, default=10)
        derivatives = serializers.ChoiceField(choices=LicenceTerms.Derivatives.choices, default="none")
        revenue_share_bps = serializers.IntegerField(min_value=0, max_value=10_000, default=0)
        attribution = serializers.BooleanField(default=True)
        content_standards = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
        exclusivity_category = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
        sublicensable = serializers.BooleanField(default=False)
        ai_training = serializers.BooleanField(default=False)
        model_name = serializers.CharField(
            max_length=64, required=False, allow_blank=True, default="",
            help_text="Which registered model renders this offer's generations (empty: the deployment's own); see GET /api/models/.",
        )
        revenue_policy = serializers.ChoiceField(choices=RevenuePolicy.choices, default=RevenuePolicy.RELATIVE)
        revenue_ceiling_bps = serializers.IntegerField(min_value=0, max_value=10_000, default=5_000)
        addon_generation_price_minor = serializers.IntegerField(min_value=0, max_value=services.MAX_PRICE_MINOR, default=0)
        addon_day_price_minor = serializers.IntegerField(min_value=0, max_value=services.MAX_PRICE_MINOR, default=0)
        indemnity = serializers.ChoiceField(choices=["none", "standard", "extended"], default="none")
        indemnity_cap_minor = serializers.IntegerField(min_value=1, max_value=services.MAX_PRICE_MINOR, required=False, allow_null=True, default=None)
        indemnity_price_minor = serializers.IntegerField(min_value=0, max_value=services.MAX_PRICE_MINOR, default=0)

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: OfferOutput})
    def post(self, request, likeness_id):
        likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        offer = services.offer_create(likeness=likeness, actor=request.user, **s.validated_data)
        return Response(OfferOutput(offer).data, status=status.HTTP_201_CREATED)


class IPOfferCreateApi(APIView):
    """A studio member offers one of the studio's IP assets (a character, a world) for sale."""

    InputSerializer = OfferCreateApi.InputSerializer

    @extend_schema(request=InputSerializer, responses={201: OfferOutput})
    def post(self, request, asset_id):
        asset = access_ip_asset_managed(user=request.user, asset_id=asset_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        offer = services.offer_create(ip_asset=asset, actor=request.user, **s.validated_data)
        return Response(OfferOutput(offer).data, status=status.HTTP_201_CREATED)


class OfferPurchaseApi(APIView):
    """Buy an offer. Paid offers answer with `checkout_url` to complete payment; free ones are active at once."""

    @idempotent
    @extend_schema(request=None, responses={201: OrderOutput})
    def post(self, request, offer_id):
        offer = access_offer_buyable(offer_id=offer_id)
        order = services.order_create(buyer=request.user, offer=offer)
        return Response(OrderOutput(order).data, status=status.HTTP_201_CREATED)


class OrderDetailApi(APIView):
    @extend_schema(responses=OrderOutput)
    def get(self, request, order_id):
        return Response(OrderOutput(access_order(user=request.user, order_id=order_id)).data)


class OfflineCheckoutApi(APIView):
    """The offline development backend's checkout: pay (or abandon) a pending order. No money moves."""

    class InputSerializer(serializers.Serializer):
        pay = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=OrderOutput)
    def post(self, request, order_id):
        order = access_order(user=request.user, order_id=order_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        order = services.offline_checkout_complete(order=order, buyer=request.user, pay=s.validated_data["pay"])
        return Response(OrderOutput(order).data)


# --- earnings and payouts -----------------------------------------------------------------------------

class PayeeOutput(serializers.Serializer):
    backend = serializers.CharField()
    account_id = serializers.CharField(allow_null=True)
    is_ready = serializers.BooleanField()
    details_submitted = serializers.BooleanField()
    payouts_enabled = serializers.BooleanField()
    transfers_active = serializers.BooleanField()
    requirements_due = serializers.ListField(child=serializers.CharField())


class PayoutOutput(serializers.Serializer):
    id = serializers.IntegerField()
    amount_minor = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField()
    transfer_id = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


class BalanceApi(APIView):
    """What the platform owes you, per currency (`balances`); owed, pending, paid and earned
    (`summary`); the ledger entries behind it (`entries`); your payouts and payout account."""

    class BalanceSerializer(serializers.Serializer):
        currency = serializers.CharField()
        owed_minor = serializers.IntegerField()

    class SummarySerializer(serializers.Serializer):
        currency = serializers.CharField()
        owed_minor = serializers.IntegerField()
        pending_minor = serializers.IntegerField()
        paid_minor = serializers.IntegerField()
        earned_minor = serializers.IntegerField()
        payouts_ready = serializers.BooleanField()

    class EntrySerializer(serializers.Serializer):
        amount_minor = serializers.SerializerMethodField()
        currency = serializers.CharField()
        kind = serializers.CharField(source="transaction.kind")
        description = serializers.CharField(source="transaction.description")
        created_at = serializers.DateTimeField(source="transaction.created_at")

        def get_amount_minor(self, obj) -> int:
            return -obj.amount_minor  # credits to a payable are what is owed

    class OutputSerializer(serializers.Serializer):
        balances = serializers.ListField(child=serializers.DictField())
        summary = serializers.ListField(child=serializers.DictField())
        entries = serializers.ListField(child=serializers.DictField())
        payouts = serializers.ListField(child=serializers.DictField())
        payee = serializers.DictField(allow_null=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        payee = payee_account_for(user=request.user)
        return Response(
            {
                "balances": self.BalanceSerializer(balance_for(user=request.user), many=True).data,
                "summary": self.SummarySerializer(earnings_summary_for(user=request.user), many=True).data,
                "entries": self.EntrySerializer(earnings_for(user=request.user)[:200], many=True).data,
                "payouts": PayoutOutput(payouts_for(user=request.user)[:100], many=True).data,
                "payee": PayeeOutput(payee).data if payee else None,
            }
        )


class EarningsExportApi(APIView):
    """Every line of what you have been owed and paid, as CSV."""

    @extend_schema(responses={(200, "text/csv"): str})
    def get(self, request):
        response = HttpResponse(earnings_csv_for(user=request.user), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="rightscast-earnings.csv"'
        return response


class PayeeOnboardingApi(APIView):
    """Set up (or finish setting up) your payout account: answers with the onboarding URL."""

    class OutputSerializer(serializers.Serializer):
        url = serializers.CharField()

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request):
        return Response({"url": services.payee_onboarding_start(user=request.user)})


class PayeeApi(APIView):
    @extend_schema(responses=PayeeOutput)
    def get(self, request):
        if request.user.kind not in PAYEE_KINDS:
            raise Forbidden("Payouts are for talent, studios and creators.")
        payee = services.payee_refresh(user=request.user)
        if payee is None:
            raise InvalidInput("You have not started setting up payouts.", code="no_payee_account")
        return Response(PayeeOutput(payee).data)


class OfflineOnboardingApi(APIView):
    """The offline backend's stand-in for Stripe's onboarding: mark your payout account ready."""

    @extend_schema(request=None, responses=PayeeOutput)
    def post(self, request):
        return Response(PayeeOutput(services.offline_onboarding_complete(user=request.user)).data)


# --- prepaid credit and receipts -------------------------------------------------------------------

class TopUpOutput(serializers.Serializer):
    id = serializers.UUIDField()
    amount_minor = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField()
    payment_backend = serializers.CharField()
    checkout_url = serializers.CharField()


class CreditApi(APIView):
    """Your prepaid credit per currency, its history, and the per-generation fees drawn from it."""

    class EntrySerializer(serializers.Serializer):
        amount_minor = serializers.SerializerMethodField()
        currency = serializers.CharField()
        kind = serializers.CharField(source="transaction.kind")
        description = serializers.CharField(source="transaction.description")
        created_at = serializers.DateTimeField(source="transaction.created_at")

        def get_amount_minor(self, obj) -> int:
            return -obj.amount_minor  # credits to the buyer's account add to their balance

    class ChargeSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        usage_reference = serializers.CharField(source="usage.reference")
        licence_id = serializers.UUIDField(source="usage.licence_id")
        amount_minor = serializers.IntegerField()
        currency = serializers.CharField()
        created_at = serializers.DateTimeField()
        refunded_at = serializers.DateTimeField(allow_null=True)

    class OutputSerializer(serializers.Serializer):
        balances = serializers.ListField(child=serializers.DictField())
        history = serializers.ListField(child=serializers.DictField())
        charges = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(
            {
                "balances": credit_summary_for(user=request.user),
                "history": self.EntrySerializer(credit_history_for(user=request.user)[:200], many=True).data,
                "charges": self.ChargeSerializer(usage_charges_for(user=request.user)[:200], many=True).data,
            }
        )


class TopUpCreateApi(APIView):
    """Buy prepaid credit: answers with `checkout_url` to pay."""

    class InputSerializer(serializers.Serializer):
        amount_minor = serializers.IntegerField(min_value=services.credit.MIN_TOPUP_MINOR, max_value=services.credit.MAX_TOPUP_MINOR)
        currency = serializers.ChoiceField(choices=["gbp", "usd", "eur"])

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: TopUpOutput})
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        topup = services.topup_create(buyer=request.user, **s.validated_data)
        return Response(TopUpOutput(topup).data, status=status.HTTP_201_CREATED)


class OfflineTopUpApi(APIView):
    class InputSerializer(serializers.Serializer):
        pay = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=TopUpOutput)
    def post(self, request, topup_id):
        topup = access_topup(user=request.user, topup_id=topup_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return Response(TopUpOutput(services.offline_topup_complete(topup=topup, buyer=request.user, pay=s.validated_data["pay"])).data)


class CreditNoteOutput(serializers.Serializer):
    reference = serializers.CharField()
    refund_id = serializers.UUIDField()
    invoice = serializers.CharField(source="invoice.reference")
    issued_at = serializers.DateTimeField()
    subtotal_minor = serializers.IntegerField()
    tax_minor = serializers.IntegerField()
    total_minor = serializers.IntegerField()
    currency = serializers.CharField()


class ReceiptOutput(serializers.Serializer):
    number = serializers.CharField()
    order_id = serializers.UUIDField(source="order.pk")
    title = serializers.CharField(source="order.offer.title")
    likeness = serializers.CharField(source="order.offer.likeness.name")
    licence_id = serializers.UUIDField(source="order.licence_id")
    paid_at = serializers.DateTimeField(source="order.paid_at")
    amount_minor = serializers.IntegerField()
    refunded_minor = serializers.IntegerField()
    disputed_minor = serializers.IntegerField()
    net_minor = serializers.IntegerField()
    currency = serializers.CharField()
    payment_reference = serializers.CharField()
    credit_notes = CreditNoteOutput(many=True, help_text="a credit note for each refund the provider confirmed")


class RefundSummaryOutput(serializers.Serializer):
    id = serializers.UUIDField()
    amount_minor = serializers.IntegerField()
    tax_minor = serializers.IntegerField()
    currency = serializers.CharField()
    reason = serializers.CharField(help_text="requested, revocation (the unused part when the licence was revoked), external, "
                                             "or not_applied (paid after the licence ended)")
    status = serializers.CharField(help_text="pending, or succeeded (failed refunds are not listed)")


class AddOnReceiptOutput(serializers.Serializer):
    addon_id = serializers.UUIDField(source="addon.pk")
    licence_id = serializers.UUIDField(source="addon.licence_id")
    invoice = serializers.CharField(source="invoice.reference", allow_null=True, default=None)
    status = serializers.CharField(source="addon.status", help_text="paid, or refunded once all of it went back")
    generations = serializers.IntegerField(source="addon.generations")
    days = serializers.IntegerField(source="addon.days")
    paid_at = serializers.DateTimeField(source="addon.paid_at")
    amount_minor = serializers.IntegerField(source="addon.amount_minor")
    tax_minor = serializers.IntegerField()
    refunded_minor = serializers.IntegerField()
    disputed_minor = serializers.IntegerField()
    currency = serializers.CharField(source="addon.currency")
    credit_notes = CreditNoteOutput(many=True, help_text="a credit note for each refund of the add-on the provider confirmed")
    refunds = RefundSummaryOutput(many=True, help_text="each refund of the add-on, with its reason")
    generations_withdrawn = serializers.IntegerField(source="addon.generations_withdrawn",
                                                     help_text="of its generations, those taken back (unused when it was fully refunded)")
    days_withdrawn = serializers.IntegerField(source="addon.days_withdrawn", help_text="of its days, those taken back (not started when it was fully refunded)")


def addon_receipt(addon) -> dict:
    invoice = getattr(addon, "invoice", None)
    return {"addon": addon, "invoice": invoice, "tax_minor": invoice.tax_minor if invoice else 0, **addon_refunds(addon)}


class ReceiptListApi(APIView):
    """Your receipts: licences you paid for, add-ons (each with its invoice and credit notes), and
    credit top-ups."""

    class OutputSerializer(serializers.Serializer):
        orders = ReceiptOutput(many=True)
        addons = AddOnReceiptOutput(many=True)
        topups = TopUpOutput(many=True)

    @extend_schema(responses=OutputSerializer, operation_id="receipts_list")
    def get(self, request):
        found = receipts_for(user=request.user)
        orders = [receipt_for(order=o) for o in found["orders"][:200]]
        addons = [addon_receipt(a) for a in found["addons"][:200]]
        return Response({"orders": ReceiptOutput(orders, many=True).data, "addons": AddOnReceiptOutput(addons, many=True).data,
                         "topups": TopUpOutput(found["topups"][:200], many=True).data})


class ReceiptDetailApi(APIView):
    @extend_schema(responses=ReceiptOutput)
    def get(self, request, order_id):
        return Response(ReceiptOutput(receipt_for(order=access_receipt(user=request.user, order_id=order_id))).data)


class RefundInputSerializer(serializers.Serializer):
    amount_minor = serializers.IntegerField(min_value=1, max_value=services.MAX_PRICE_MINOR)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class RefundOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    amount_minor = serializers.IntegerField()
    tax_minor = serializers.IntegerField(help_text="The tax part of amount_minor (a taxed purchase's tax, given back in proportion).")
    currency = serializers.CharField()
    status = serializers.CharField()
    provider_refund_id = serializers.CharField(allow_null=True)


def _refund_created(request, output, refund, **purchase) -> Response:
    """A moderator's refund of `purchase` (order= or addon=) through `refund` (a service)."""
    s = RefundInputSerializer(data=request.data)
    s.is_valid(raise_exception=True)
    return Response(output(refund(**purchase, actor=request.user, **s.validated_data)).data, status=status.HTTP_201_CREATED)


class OrderRefundApi(APIView):
    """Moderators: refund part or all of a paid order. The shares are reversed down the remix chain."""

    InputSerializer = RefundInputSerializer

    class OutputSerializer(RefundOutputSerializer):
        order_id = serializers.UUIDField()

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, order_id):
        order = access_order_for_moderation(user=request.user, order_id=order_id)
        return _refund_created(request, self.OutputSerializer, services.order_refund, order=order)


class AddOnRefundApi(APIView):
    """Moderators: refund part or all of a paid add-on (its price and tax), as an order's: its shares
    are reversed down the remix chain, its tax part taken back from what was collected."""

    InputSerializer = RefundInputSerializer

    class OutputSerializer(RefundOutputSerializer):
        addon_id = serializers.UUIDField()

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, addon_id):
        addon = access_addon_for_moderation(user=request.user, addon_id=addon_id)
        return _refund_created(request, self.OutputSerializer, services.addon_refund, addon=addon)


class UsageChargeRefundApi(APIView):
    """Moderators: give a per-generation fee back to the buyer's credit; its shares, down the
    remix chain, are taken back."""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        amount_minor = serializers.IntegerField()
        currency = serializers.CharField()
        refunded_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, charge_id):
        charge = access_usage_charge_for_moderation(user=request.user, charge_id=charge_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return Response(self.OutputSerializer(services.usage_charge_refund(charge=charge, actor=request.user, **s.validated_data)).data)


class StripeWebhookApi(APIView):
    """Stripe's webhook: the signature is checked with the SDK, each event stored once by id."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(exclude=True)
    def post(self, request):
        try:
            event = gateway().parse_webhook(payload=request.body, signature=request.META.get("HTTP_STRIPE_SIGNATURE"))
        except WebhookError as exc:
            raise InvalidInput(str(exc), code="bad_webhook")
        if settings.STRIPE_CONNECT_WEBHOOK_SECRET and isinstance(event, dict) and event.get("account"):
            raise InvalidInput("Connect events go to /api/stripe/connect-webhook/, signed with the Connect secret.", code="bad_webhook")
        stored = services.payment_event_ingest(backend="stripe", event=event)
        return Response({"received": True, "status": stored.status})


class StripeConnectWebhookApi(APIView):
    """Stripe's Connect webhook: events on connected accounts, signed with the Connect endpoint's
    own secret (STRIPE_CONNECT_WEBHOOK_SECRET), stored once by id like the others."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(exclude=True)
    def post(self, request):
        try:
            event = gateway().parse_connect_webhook(payload=request.body, signature=request.META.get("HTTP_STRIPE_SIGNATURE"))
        except WebhookError as exc:
            raise InvalidInput(str(exc), code="bad_webhook")
        stored = services.payment_event_ingest(backend="stripe", event=event)
        return Response({"received": True, "status": stored.status})
