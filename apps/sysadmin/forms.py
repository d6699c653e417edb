import datetime

from django import forms

from apps.core.widgets import IsoDateInput
from apps.sms.templating import MAX_TEXT_LENGTH
from apps.workcalendar import source
from apps.workcalendar.models import CalendarOverride


class SmsTemplateForm(forms.Form):
    text = forms.CharField(
        label="短信内容",
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={
            "required": "短信内容不能为空。",
            "max_length": f"短信内容不能超过{MAX_TEXT_LENGTH}个字。",
        },
    )
    provider_template_id = forms.CharField(
        label="服务商模板编号",
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"max_length": "服务商模板编号不能超过64个字符。"},
    )
    is_active = forms.BooleanField(
        label="启用", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(
        label="日期",
        widget=IsoDateInput(attrs={"class": "form-control"}),
        error_messages={"required": "请选择日期。", "invalid": "请输入正确的日期。"},
    )
    kind = forms.ChoiceField(
        label="类型",
        choices=CalendarOverride.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "请选择类型。", "invalid_choice": "类型只能是“放假”或“调休上班”。"},
    )
    note = forms.CharField(
        label="说明",
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "如：春节、国办发明电〔2025〕7号"}
        ),
        error_messages={"max_length": "说明不能超过200个字。"},
    )

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_date(self):
        value: datetime.date = self.cleaned_data["date"]
        if not source.MIN_YEAR <= value.year <= source.MAX_YEAR:
            raise forms.ValidationError(source.OUT_OF_RANGE_MESSAGE)
        if self.year is not None and value.year != self.year:
            raise forms.ValidationError(f"请选择{self.year}年内的日期。")
        return value


class CalendarYearForm(forms.Form):
    note = forms.CharField(
        label="说明（通知文号）",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"max_length": "说明不能超过200个字。"},
    )
