from django.conf import settings


def runtime_banner(request):
    """Every page says plainly when generation runs on the built-in development model."""
    return {"generation_dev_model": not settings.GENERATION_MODEL_PATH}
