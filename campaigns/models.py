import uuid

from django.conf import settings
from django.db import models


class Campaign(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(max_length=160)
    currency = models.CharField(max_length=3)
    budget_minor = models.PositiveBigIntegerField()
    price_ceiling_minor = models.PositiveBigIntegerField()  # per talent
    prompt_template = models.TextField(blank=True)  # with {talent}
    variants = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    briefed_at = models.DateTimeField(null=True, blank=True)


class CampaignTalent(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
        LICENSED = "licensed", "Licensed"
        BRIEFED = "briefed", "Briefed"
        REFUSED = "refused", "Refused"
        NOT_LICENSED = "not_licensed", "Not licensed"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="talents")
    offer = models.ForeignKey("marketplace.Offer", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("marketplace.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    reason = models.TextField(blank=True)
    variant_group = models.UUIDField(null=True, blank=True)  # the talent's briefs
    first_brief = models.ForeignKey("generation.Brief", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "offer"], name="uniq_campaign_offer")]
