"""URLs of the account pages."""

from django.urls import path

from soegov.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("password/", views.password_change, name="password_change"),
    path("language/", views.language, name="language"),
    path("tokens/", views.tokens, name="tokens"),
    path("users/", views.users, name="users"),
    path("security/", views.security, name="security"),
    path("first-password/<str:uidb64>/<str:token>/", views.first_password, name="first_password"),
]
