from django.urls import path

from soegov.signatures import views

app_name = "signatures"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("mine", views.mine, name="mine"),
    path("verify", views.verify_page, name="verify"),
]
