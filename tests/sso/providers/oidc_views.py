"""The OIDC test provider's login page (password, then a TOTP code for users who have a device) and claims."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.oauth2_validators import OAuth2Validator


class PasswordAndCodeForm(AuthenticationForm):
    otp_token = forms.CharField(required=False, max_length=8)

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if devices:
            token = (self.cleaned_data.get("otp_token") or "").strip()
            if not token or not any(d.verify_token(token) for d in devices):
                raise forms.ValidationError("动态口令不正确", code="otp")


class LoginView(auth_views.LoginView):
    template_name = "provider_login.html"
    authentication_form = PasswordAndCodeForm


class Validator(OAuth2Validator):
    oidc_claim_scope: ClassVar[dict[str, str]] = {**OAuth2Validator.oidc_claim_scope, "employee_number": "profile",
                        "preferred_username": "profile", "name": "profile", "amr": "openid"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        second = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        # The test provider keeps each user's employee number in last_name and display name in first_name.
        return {
            "name": user.first_name or user.username,
            "preferred_username": user.username,
            "employee_number": user.last_name,
            "amr": ["pwd", "otp"] if second else ["pwd"],
        }
