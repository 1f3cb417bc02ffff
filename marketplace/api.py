from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import InvalidInput
from licensing.api import TermsSerializer
from licensing.models import LicenceTerms
from licensing.selectors import access_likeness_owned

from . import services
from .payments import WebhookError, gateway
from .selectors import (
    access_offer_buyable,
    access_order,
    balance_for,
    earnings_for,
    listing_list,
)


class OfferOutput(serializers.Serializer):
    id = serializers.UUIDField()
    likeness_id = serializers.UUIDField()
    title = serializers.CharField()
    price_minor = serializers.IntegerField()
    currency = serializers.CharField()
    is_active = serializers.BooleanField()
    terms = TermsSerializer()


class ListingOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    bio = serializers.CharField()
    offers = OfferOutput(many=True)


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
        return Response(ListingOutput(listing_list(), many=True).data)


class OfferCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=160)
        price_minor = serializers.IntegerField(min_value=0, max_value=services.MAX_PRICE_MINOR)
        currency = serializers.ChoiceField(choices=["gbp", "usd", "eur"])
        commercial_use = serializers.BooleanField(default=True)
        channels = serializers.ListField(child=serializers.CharField(max_length=32), default=list, max_length=10)
        territories = serializers.ListField(child=serializers.CharField(min_length=2, max_length=2), default=list, max_length=250)
        duration_days = serializers.IntegerField(min_value=1, max_value=3650, default=30)
        generation_quota = serializers.IntegerField(min_value=1, max_value=1_000_000, default=10)
        derivatives = serializers.ChoiceField(choices=LicenceTerms.Derivatives.values, default="none")
        revenue_share_bps = serializers.IntegerField(min_value=0, max_value=10_000, default=0)
        attribution = serializers.BooleanField(default=True)
        content_standards = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: OfferOutput})
    def post(self, request, likeness_id):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        offer = services.offer_create(likeness=likeness, actor=request.user, **s.validated_data)
        return Response(OfferOutput(offer).data, status=status.HTTP_201_CREATED)


class OfferPurchaseApi(APIView):
    """Buy an offer. Paid offers answer with `checkout_url` to complete payment; free ones are active at once."""

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
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        order = access_order(user=request.user, order_id=order_id)
        order = services.offline_checkout_complete(order=order, buyer=request.user, pay=s.validated_data["pay"])
        return Response(OrderOutput(order).data)


class BalanceApi(APIView):
    """What the platform owes you, per currency, and the ledger entries behind it."""

    class BalanceSerializer(serializers.Serializer):
        currency = serializers.CharField()
        owed_minor = serializers.IntegerField()

    class EntrySerializer(serializers.Serializer):
        amount_minor = serializers.SerializerMethodField()
        currency = serializers.CharField()
        description = serializers.CharField(source="transaction.description")
        created_at = serializers.DateTimeField(source="transaction.created_at")

        def get_amount_minor(self, obj) -> int:
            return -obj.amount_minor  # credits to a payable are what is owed

    class OutputSerializer(serializers.Serializer):
        balances = serializers.ListField(child=serializers.DictField())
        entries = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(
            {
                "balances": self.BalanceSerializer(balance_for(user=request.user), many=True).data,
                "entries": self.EntrySerializer(earnings_for(user=request.user)[:200], many=True).data,
            }
        )


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
        stored = services.payment_event_ingest(backend="stripe", event=event)
        return Response({"received": True, "status": stored.status})
