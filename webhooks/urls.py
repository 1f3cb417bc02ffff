from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("integrations/webhooks/", views.endpoints, name="endpoints"),
]
