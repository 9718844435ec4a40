"""URLs of the exchange pages."""

from django.urls import path

from soegov.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.received, name="received"),
    path("import/", views.import_zips, name="import"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/<int:pk>.zip", views.regulation_zip, name="regulation_zip"),
    path("items.zip", views.items_zip, name="items_zip"),
    path("exports/", views.meeting_exports, name="exports"),
    path("exports/meetings/<int:pk>.zip", views.meeting_zip, name="meeting_zip"),
]
