"""The listing portrait: the rights holder's chosen public picture for the marketplace."""
import io

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.errors import Forbidden
from accounts.models import User
from accounts.uploads import read_image_upload
from licensing.models import holding_filter

from ..models import ListingPortrait

PORTRAIT_SIZE = 640


def portrait_set(*, holding, actor: User, file, alt_text: str = "") -> ListingPortrait:
    """Check the upload through the one image gate, re-encode it (no metadata, bounded size) and
    make it the holding's public portrait."""
    from licensing.services.evaluation import _owner_ids

    if actor.pk not in _owner_ids(holding):
        raise Forbidden("Only the rights holder can choose the portrait.")
    upload = read_image_upload(file)
    image = upload.image.copy()
    image.thumbnail((PORTRAIT_SIZE, PORTRAIT_SIZE))
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="JPEG", quality=85)
    with transaction.atomic():
        portrait, _ = ListingPortrait.objects.select_for_update().get_or_create(**holding_filter(holding), defaults={"image": ""})
        old = portrait.image.name if portrait.image else None
        portrait.image.save(f"{holding.pk}.jpg", ContentFile(buf.getvalue()), save=False)
        portrait.alt_text = (alt_text or "").strip()[:200] or f"Portrait of {holding.name}"
        portrait.save()
    if old and old != portrait.image.name:
        portrait.image.storage.delete(old)
    return portrait

