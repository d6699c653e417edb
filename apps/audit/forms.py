from django import forms

from apps.audit.actions import action_choices
from apps.audit.models import AuditLog


class AuditFilterForm(forms.Form):
    start = forms.DateField(label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    action = forms.ChoiceField(label="操作", required=False)
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *AuditLog.Result.choices])
    username = forms.CharField(label="操作人账号", required=False, max_length=150)
    org_name = forms.CharField(label="机构", required=False, max_length=100)
    target = forms.CharField(label="操作对象", required=False, max_length=200)
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
