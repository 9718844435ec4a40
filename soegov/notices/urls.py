"""URLs of the notices pages (under /notices/)."""

from django.urls import path

from soegov.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("delivery/", views.delivery_page, name="delivery"),
    path("delivery/resend/", views.resend, name="resend"),
]
