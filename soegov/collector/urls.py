"""URLs of reporting to the collector (the outbox is shown on the exchange's 数据报送 page)."""

from django.urls import path

from soegov.collector import views

app_name = "collector"
urlpatterns = [
    path("report/items/", views.report_items, name="report_items"),
    path("report/regulations/<int:pk>/", views.report_regulation, name="report_regulation"),
    path("report/meetings/<int:pk>/", views.report_meeting, name="report_meeting"),
    path("send/", views.send_now, name="send_now"),
    path("keys/", views.keys, name="keys"),
]
