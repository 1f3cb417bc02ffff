from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .views import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("accounts.api_urls")),
    path("api/", include("licensing.api_urls")),
    path("api/", include("marketplace.api_urls")),
    path("api/", include("generation.api_urls")),
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("licensing.urls")),
    path("", include("marketplace.urls")),
    path("", include("generation.urls")),
]

