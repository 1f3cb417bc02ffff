from django.urls import path

from . import views

app_name = "licensing"
urlpatterns = [
    path("talent/likenesses/new/", views.likeness_new, name="likeness-new"),
    path("talent/likenesses/<uuid:likeness_id>/", views.likeness_detail, name="likeness"),
    path("talent/likenesses/<uuid:likeness_id>/references/<uuid:reference_id>/", views.reference_image, name="reference"),
]
