"""Forms of the SSO administration page; they only parse input, the services decide."""

from __future__ import annotations

from django import forms

from soegov.identity.models import Provider


class LinkPendingForm(forms.Form):
    pending = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    username = forms.CharField(label="系统账号（用户名）", max_length=150, error_messages={"required": "请填写系统账号"})


class LinkForm(forms.Form):
    provider = forms.ChoiceField(label="认证方式", choices=Provider.choices)
    value = forms.CharField(label="标识值", max_length=255, error_messages={"required": "请填写标识值"})
    username = forms.CharField(label="系统账号（用户名）", max_length=150, error_messages={"required": "请填写系统账号"})
