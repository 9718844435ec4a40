"""URLs of SSO login (under /accounts/sso/) and its administration page."""

from django.urls import path

from soegov.identity import cas, oidc, views

app_name = "identity"
urlpatterns = [
    path("oidc/login/", oidc.OidcLoginView.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc.OidcCallbackView.as_view(), name="oidc_callback"),
    path("cas/login/", cas.CasLoginView.as_view(), name="cas_login"),
    path("status/", views.provider_status, name="status"),
    path("", views.admin_page, name="admin"),
    path("recheck/", views.recheck, name="recheck"),
]
