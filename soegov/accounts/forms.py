"""Forms of the account pages; they only parse input, the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy

from soegov.accounts.models import API_AREAS
from soegov.accounts.roles import ADMIN_ROLES, ROLE_CHOICES


class LoginForm(AuthenticationForm):
    """User name and password, with Chinese messages."""

    error_messages = {
        "invalid_login": "用户名或密码不正确。连续失败多次后账号将被锁定。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请填写用户名"
        self.fields["password"].error_messages["required"] = "请填写密码"

    def confirm_login_allowed(self, user: object) -> None:
        from soegov.accounts.networks import admin_address_allowed, refusal_message, refuse_admin_address

        super().confirm_login_allowed(user)
        if getattr(user, "role", None) in ADMIN_ROLES and self.request is not None and not admin_address_allowed(
                self.request):
            refuse_admin_address(self.request, user, "login")
            raise forms.ValidationError(refusal_message(self.request), code="admin_network")
        # SOEGOV_LOCAL_LOGIN=admins: everyone but the three administrators logs in through single sign-on.
        if settings.SOEGOV_LOCAL_LOGIN == "admins" and getattr(user, "role", None) not in ADMIN_ROLES:
            raise forms.ValidationError("本系统已启用统一身份认证：请使用上方的统一身份认证按钮登录（本地密码登录仅限三员管理员）。",
                                        code="local_login_off")


class OtpForm(forms.Form):
    token = forms.CharField(label="动态口令（6 位数字）", max_length=8, error_messages={"required": "请填写动态口令"})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput, error_messages={"required": "请填写原密码"})
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput, error_messages={"required": "请填写新密码"})
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput,
                                    error_messages={"required": "请再次输入新密码"})

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=100, error_messages={"required": "请填写令牌名称"})
    scope = forms.ChoiceField(label="权限", choices=[("read", gettext_lazy("只读（仅查询）")), ("write", gettext_lazy("读写"))], initial="read",
                              required=False,
                              error_messages={"invalid_choice": "请选择只读或读写"})
    days = forms.IntegerField(label="有效天数", initial=90, min_value=1, max_value=3650, required=False,
                              error_messages={"invalid": "有效天数应为整数",
                                              "min_value": "有效天数至少为 1", "max_value": "有效天数过大"})
    apis = forms.MultipleChoiceField(label="可调用的接口", required=False, widget=forms.CheckboxSelectMultiple,
                                     choices=[(k, gettext_lazy(v[0])) for k, v in API_AREAS.items()],
                                     error_messages={"invalid_choice": "接口范围无效"})


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, error_messages={"required": "请填写用户名"})
    full_name = forms.CharField(label="姓名", max_length=100, required=False)
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)
    enterprise = forms.IntegerField(label="所属企业编号（企业角色）", required=False)
    jurisdiction = forms.IntegerField(label="所属监管机构编号（监管角色）", required=False)
    # Not asked for administrator roles: their holder sets it through a one-time link after approval.
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("role") and data["role"] not in ADMIN_ROLES and not data.get("password"):
            self.add_error("password", "请填写初始密码")
        return data


class FirstPasswordForm(forms.Form):
    password = forms.CharField(label="设置密码", widget=forms.PasswordInput, error_messages={"required": "请填写密码"})
    password2 = forms.CharField(label="再次输入密码", widget=forms.PasswordInput,
                                error_messages={"required": "请再次输入密码"})

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class UnlockForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, error_messages={"required": "请填写用户名"})
