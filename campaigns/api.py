from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.idempotency import idempotent
from generation.variants import MAX_VARIANTS

from . import services
from .selectors import access_campaign, campaign_progress


class CampaignCreateApi(APIView):
    """Start a campaign: the listed talents whose cheapest offer fits the per-talent ceiling (and
    the query, or the offers named), until the budget is spent; an order per talent."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=160)
        budget_minor = serializers.IntegerField(min_value=0)
        price_ceiling_minor = serializers.IntegerField(min_value=0)
        currency = serializers.CharField(max_length=3, default="gbp")
        offer_ids = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=services.MAX_TALENTS)
        query = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: dict})
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        campaign = services.campaign_create(owner=request.user, **s.validated_data)
        return Response(campaign_progress(campaign=campaign), status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    """Progress: per talent, payment, licence, briefs and jobs, refusals with reasons; spend against budget."""

    @extend_schema(responses=dict)
    def get(self, request, campaign_id):
        campaign = access_campaign(user=request.user, campaign_id=campaign_id)
        services.campaign_refresh(campaign=campaign)
        return Response(campaign_progress(campaign=campaign))


class CampaignOfflineCheckoutApi(APIView):
    """The offline backend: pay every waiting licence of the campaign in one checkout."""

    @extend_schema(request=None, responses=dict)
    def post(self, request, campaign_id):
        campaign = services.campaign_offline_checkout(campaign=access_campaign(user=request.user, campaign_id=campaign_id), actor=request.user)
        return Response(campaign_progress(campaign=campaign))


class CampaignCheckoutApi(APIView):
    """One Stripe Checkout for every licence of the campaign waiting for payment (a line item per
    talent). Answers its `checkout_url` for a person to pay; asking again returns the same one."""

    class CheckoutOutput(serializers.Serializer):
        bundle_id = serializers.UUIDField(source="pk")
        status = serializers.CharField()
        amount_minor = serializers.IntegerField()
        currency = serializers.CharField()
        checkout_url = serializers.CharField()
        licences = serializers.IntegerField()

    @idempotent
    @extend_schema(request=None, responses={201: CheckoutOutput})
    def post(self, request, campaign_id):
        bundle = services.campaign_checkout(campaign=access_campaign(user=request.user, campaign_id=campaign_id), actor=request.user)
        bundle.licences = bundle.orders.count()
        return Response(self.CheckoutOutput(bundle).data, status=status.HTTP_201_CREATED)


class CampaignBriefApi(APIView):
    """One brief for every licensed talent: `{talent}` in the prompt becomes each one's name."""

    class InputSerializer(serializers.Serializer):
        prompt_template = serializers.CharField(max_length=2000)
        variants = serializers.IntegerField(min_value=1, max_value=MAX_VARIANTS, default=1)
        media = serializers.ChoiceField(choices=["image", "video"], default="image")

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: dict})
    def post(self, request, campaign_id):
        campaign = access_campaign(user=request.user, campaign_id=campaign_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        campaign = services.campaign_brief(campaign=campaign, actor=request.user, **s.validated_data)
        return Response(campaign_progress(campaign=campaign), status=status.HTTP_201_CREATED)
