"""URLs of the execution-tracking pages."""

from django.urls import path

from soegov.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.home, name="home"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/act/<str:what>/", views.action_act, name="act"),
    path("actions/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("emergencies/new/", views.emergency_new, name="emergency_new"),
    path("emergencies/<int:pk>/", views.emergency_detail, name="emergency"),
]
