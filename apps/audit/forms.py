from django import forms

from apps.audit.actions import action_choices
from apps.audit.models import AuditLog
from apps.core.widgets import IsoDateInput


def _text_filter(label: str, max_length: int) -> forms.CharField:
    # PostgreSQL refuses a NUL in a text parameter (DataError, a 500): refused here with a message.
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={
            "max_length": f"{label}不能超过{max_length}个字。",
            "null_characters_not_allowed": f"{label}中含有不可见的空字符，请重新输入。",
        },
    )


def _date_filter(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=IsoDateInput(),
        error_messages={"invalid": f"{label}格式不正确，请按“年-月-日”填写。"},
    )


class AuditFilterForm(forms.Form):
    start = _date_filter("开始日期")
    end = _date_filter("结束日期")
    action = forms.ChoiceField(
        label="操作", required=False, error_messages={"invalid_choice": "请从列表中选择操作。"}
    )
    result = forms.ChoiceField(
        label="结果",
        required=False,
        choices=[("", "全部"), *AuditLog.Result.choices],
        error_messages={"invalid_choice": "请从列表中选择结果。"},
    )
    username = _text_filter("操作人账号", 150)
    org_name = _text_filter("机构", 100)
    target = _text_filter("操作对象", 200)
    ip = forms.GenericIPAddressField(
        label="客户端地址", required=False, error_messages={"invalid": "请输入正确的IP地址。"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部"), *action_choices()]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm",
            )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("开始日期不能晚于结束日期。")
        return data
