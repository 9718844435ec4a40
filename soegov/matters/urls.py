"""URLs of the reporting pages."""

from django.urls import path

from soegov.matters import attachment_views, batch_views, views

app_name = "matters"
urlpatterns = [
    path("", views.matter_list, name="list"),
    path("new/", views.matter_new, name="new"),
    path("preview/", views.matter_preview, name="preview"),
    path("review/", views.review_queue, name="queue"),
    path("review/batch/", batch_views.review_batch, name="queue_batch"),
    path("ledger.xlsx", views.ledger_export, name="ledger"),
    path("notifications/", views.notifications, name="notifications"),
    path("calendar/", views.calendar_admin, name="calendar"),
    path("<int:pk>/", views.matter_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.matter_act, name="act"),
    path("<int:pk>/attachments/", attachment_views.attachment_upload, name="upload"),
    path("<int:pk>/documents/<str:kind>.<str:fmt>", views.document, name="document"),
    path("attachments/<int:pk>/", attachment_views.attachment_download, name="download"),
    path("attachments/<int:pk>/withdraw/", attachment_views.attachment_withdraw, name="withdraw"),
    path("attachments/<int:pk>/view/", attachment_views.attachment_view, name="view"),
]
