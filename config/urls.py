from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from licensing import views as licensing_views

from .views import home

# The admin signs in through allauth's login (verified e-mail, two-factor, lockouts), staff only.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the docs page runs under the strict CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("accounts.api_urls")),
    path("api/", include("licensing.api_urls")),
    path("api/", include("marketplace.api_urls")),
    path("api/", include("generation.api_urls")),
    path("api/", include("webhooks.api_urls")),
    path("api/", include("campaigns.api_urls")),
    path("c2pa/", include("generation.c2pa_urls")),  # C2PA Soft Binding Resolution API
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("report/", licensing_views.report, name="report-misuse"),  # the public reports form (also licensing:report)
    path("", include("licensing.urls")),
    path("", include("marketplace.urls")),
    path("", include("generation.urls")),
    path("", include("webhooks.urls")),
    path("", include("campaigns.urls")),
]


handler400 = "config.exceptions.handler400"
handler403 = "config.exceptions.handler403"
handler404 = "config.exceptions.handler404"
handler500 = "config.exceptions.handler500"
