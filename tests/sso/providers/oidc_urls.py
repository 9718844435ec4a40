from django.urls import include, path

from tests.sso.providers.oidc_views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
