"""Forms only parse; every rule is checked by the action (so the API gets the same answers)."""

import datetime as dt

from django import forms
from django.utils import timezone

from apps.core.widgets import IsoDateInput
from apps.supervision.models import MAX_EXTENSION_DAYS
from apps.workcalendar.calendar import add_working_days

DEFAULT_SUPERVISION_WORKING_DAYS = 5


class SuperviseForm(forms.Form):
    comment = forms.CharField(
        label="督办意见",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写督办意见。", "max_length": "督办意见不能超过1000个字。"},
    )
    due_date = forms.DateField(
        label="要求办结日期",
        widget=IsoDateInput(),
        error_messages={"required": "请填写要求办结日期。", "invalid": "请填写正确的要求办结日期。"},
    )

    @staticmethod
    def default_due_date() -> dt.date:
        return add_working_days(timezone.localdate(), DEFAULT_SUPERVISION_WORKING_DAYS)


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(
        label="延期天数",
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        error_messages={
            "required": "请填写延期天数。",
            "invalid": "延期天数必须是整数。",
            "min_value": f"延期天数必须是1到{MAX_EXTENSION_DAYS}之间的整数。",
            "max_value": f"延期天数必须是1到{MAX_EXTENSION_DAYS}之间的整数。",
        },
    )
    reason = forms.CharField(
        label="申请理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写申请理由。", "max_length": "申请理由不能超过1000个字。"},
    )


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批结果",
        choices=[("approve", "批准"), ("reject", "不批准")],
        error_messages={"required": "请选择审批结果。", "invalid_choice": "请选择审批结果。"},
    )
    comment = forms.CharField(
        label="审批意见",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "审批意见不能超过1000个字。"},
    )


class CandidateFilterForm(forms.Form):
    days = forms.IntegerField(label="即将超期（工作日）", min_value=0, max_value=60, required=False)
    supervised = forms.ChoiceField(
        label="督办状态", required=False, choices=[("", "全部"), ("no", "未督办"), ("yes", "已督办")]
    )
