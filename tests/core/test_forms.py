"""The one form-action helper: a refusal becomes the page's message, success its confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from soegov.core.errors import InputError
from soegov.core.forms import form_action


def _request() -> Any:
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _texts(request: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_success_flashes_the_confirmation() -> None:
    request = _request()
    with form_action(request, success="已保存") as outcome:
        pass
    assert outcome.ok and _texts(request) == [("success", "已保存")]


def test_a_refusal_stops_the_block_and_becomes_the_message() -> None:
    request = _request()
    ran_on = []
    with form_action(request, success="已保存") as outcome:
        raise InputError("required", "请填写标题", "title")
        ran_on.append("after")  # never reached
    assert not outcome.ok and (outcome.error, outcome.path) == ("请填写标题", "title") and ran_on == []
    assert _texts(request) == [("error", "请填写标题")]


def test_a_page_that_shows_the_error_beside_the_form_gets_no_flash() -> None:
    request = _request()

    class TitleForm(forms.Form):
        title = forms.CharField(required=False)

    form = TitleForm({"title": ""})
    assert form.is_valid()
    with form_action(request, flash=False) as outcome:
        raise InputError("required", "请填写标题", "title")
    outcome.show_on(form)
    assert form.errors == {"title": ["请填写标题"]} and _texts(request) == []


def test_a_denial_stays_a_403_unless_the_page_shows_it() -> None:
    request = _request()
    with pytest.raises(PermissionDenied), form_action(request):
        raise PermissionDenied("只有秘书可以办理")
    with form_action(request, denied_as_message=True) as outcome:
        raise PermissionDenied("只有秘书可以办理")
    assert outcome.error == "只有秘书可以办理"


def test_a_refusal_marks_the_field_it_names_and_none_when_it_names_none() -> None:
    with form_action(_request(), flash=False) as named:
        raise InputError("required", "请填写标题", "title")
    with form_action(_request(), flash=False) as unnamed:
        raise InputError("refused", "不能保存", None)
    with form_action(_request(), flash=False) as fine:
        pass
    assert named.field_errors == {"title": "请填写标题"}
    assert unnamed.field_errors == {} and fine.field_errors == {}
