from django.urls import path

from . import feed_views, showcase_views, views

app_name = "generation"
urlpatterns = [
    path("licences/<uuid:licence_id>/brief/", views.brief_new, name="brief-new"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("variants/<uuid:group_id>/", views.variant_set, name="variants"),
    path("variants/<uuid:group_id>/export", views.variant_export, name="variants-export"),
    path("jobs/<uuid:job_id>/output", views.job_output, name="job-output"),
    path("jobs/<uuid:job_id>/lineage/", views.lineage, name="lineage"),
    path("talent/uses/", views.uses, name="uses"),
    path("talent/consent-ledger/", views.consent_ledger, name="consent-ledger"),
    path("talent/approvals/", views.approvals, name="approvals"),
    path("verify/", views.verify, name="verify"),
    path("gallery/", views.gallery, name="gallery"),
    path("feed/", feed_views.feed_grid, name="feed"),
    path("feed/<uuid:post_id>/", feed_views.feed_post, name="feed-post"),
    path("feed/<uuid:post_id>/image", feed_views.feed_image, name="feed-image"),
    path("feed/<uuid:post_id>/remix/", feed_views.feed_remix, name="feed-remix"),
    path("listing/<str:kind>/<uuid:holding_id>/showcase/", showcase_views.showcase_edit, name="showcase-edit"),
    path("showcase/<int:item_id>/image", showcase_views.showcase_image, name="showcase-image"),
    path("moderation/comments/", feed_views.comment_reports, name="comment-reports"),
]
