"""Forms of the registry pages: parsing only; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from soegov.enterprises.models import BodyKind, EnterpriseStatus, MemberRole, Ownership


def shown(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Choices whose labels (Chinese in the models, gettext_noop) a page shows in its language."""
    return [(value, gettext_lazy(label)) for value, label in choices]


class EnterpriseForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=200, error_messages={"required": "请填写企业名称"})
    uscc = forms.CharField(label="统一社会信用代码", max_length=40, error_messages={"required": "请填写统一社会信用代码"})
    ownership = forms.ChoiceField(label="持股类型", choices=shown(Ownership.choices),
                                  error_messages={"invalid_choice": "持股类型无效"})
    status = forms.ChoiceField(label="状态", choices=shown(EnterpriseStatus.choices), initial=EnterpriseStatus.ACTIVE,
                               error_messages={"invalid_choice": "状态无效"})
    parent = forms.IntegerField(label="上级企业", required=False, widget=forms.Select,
                                error_messages={"invalid": "上级企业无效"})


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=shown(BodyKind.choices), error_messages={"invalid_choice": "决策机构类型无效"})
    name = forms.CharField(label="名称（可留空自动生成）", max_length=200, required=False)


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名"})
    role = forms.ChoiceField(label="职务", choices=shown(MemberRole.choices), error_messages={"invalid_choice": "职务无效"})
    is_principal = forms.BooleanField(label="主要负责人（末位表态）", required=False)
    voting = forms.BooleanField(label="有表决权", required=False, initial=True)
    term_start = forms.DateField(label="任期开始", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "任期开始不是有效日期"})
    term_end = forms.DateField(label="任期结束", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": "任期结束不是有效日期"})


MAX_IMPORT_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", error_messages={"required": "请选择要导入的文件",
                                                                      "empty": "文件是空的"})

    def clean_file(self) -> object:
        f = self.cleaned_data["file"]
        if f.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件不能超过 10 MB")
        return f
    jurisdiction = forms.IntegerField(label="监管辖区", widget=forms.Select,
                                      error_messages={"invalid": "监管辖区无效", "required": "请选择监管辖区"})
