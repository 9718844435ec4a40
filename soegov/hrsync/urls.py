"""URLs of the HR sync page."""

from django.urls import path

from soegov.hrsync import views

app_name = "hrsync"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/apply/", views.apply, name="apply"),
    path("template.csv", views.template_csv, name="template"),
]
