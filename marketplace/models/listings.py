"""What a listing shows: the portraits on a listed likeness's page."""

from django.db import models

from licensing.models import Likeness, one_holding_constraint


class ListingPortrait(models.Model):
    """The picture a rights holder chooses for their marketplace card: public, and separate from
    the private reference media verification keeps. Re-encoded to a small JPEG on upload."""

    id = models.BigAutoField(primary_key=True)
    likeness = models.OneToOneField(Likeness, null=True, blank=True, on_delete=models.CASCADE, related_name="portrait")
    ip_asset = models.OneToOneField("licensing.IPAsset", null=True, blank=True, on_delete=models.CASCADE, related_name="portrait")
    image = models.FileField(upload_to="portraits/%Y/%m/")
    alt_text = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [one_holding_constraint("portrait_one_holding")]
