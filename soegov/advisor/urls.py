"""URLs of the matter advisor and the regulations browser."""

from django.urls import path

from soegov.advisor import views

app_name = "advisor"
urlpatterns = [
    path("", views.advisor, name="advisor"),
    path("attributes/", views.attributes, name="attributes"),
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/<slug:pack_id>/", views.pack, name="pack"),
    path("regulations/<slug:pack_id>/decision-list/", views.decision_list, name="decision_list"),
]
