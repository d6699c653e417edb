"""Forms for the spot-check pages. They only parse; the actions decide (and their Chinese messages
are shown on the same form)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from apps.core.widgets import IsoDateInput
from apps.orgs.models import Org
from apps.regions.models import Region
from apps.reports.forms import MultipleFileField, RegionChoiceField, StyledForm
from apps.reports.models import Report
from apps.spotchecks import selectors
from apps.spotchecks.draw import MAX_SAMPLE_SIZE
from apps.spotchecks.models import SpotCheckBatch

# 按机构 lists the two levels below the user's org (a province's cities and counties, the
# ministry's 司局, provinces and cities); the API accepts any org below.
ORG_CHOICE_LEVELS = 2


class OrgChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, root_depth: int = 0, **kwargs):
        self.root_depth = root_depth
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return "\u3000" * max(0, obj.depth - self.root_depth - 1) + obj.name


class BatchForm(StyledForm):
    SIZE_MODES = [("size", "按数量"), ("ratio", "按比例")]

    scope = forms.ChoiceField(label="查询条件", choices=SpotCheckBatch.Scope.choices,
                              widget=forms.RadioSelect, initial=SpotCheckBatch.Scope.ORG)
    org = OrgChoiceField(label="抽检机构", queryset=Org.objects.none(), required=False,
                         empty_label="全部下级单位")
    region = RegionChoiceField(label="抽检地区", queryset=Region.objects.none(), required=False,
                               empty_label="请选择地区")
    closed_from = forms.DateField(label="办结日期起", widget=IsoDateInput())
    closed_to = forms.DateField(label="办结日期止", widget=IsoDateInput())
    size_mode = forms.ChoiceField(label="抽检方式", choices=SIZE_MODES, widget=forms.RadioSelect,
                                  initial="size")
    size = forms.IntegerField(label="抽检数量（件）", required=False, min_value=1, max_value=MAX_SAMPLE_SIZE)
    ratio = forms.IntegerField(label="抽检比例（%）", required=False, min_value=1, max_value=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        root = selectors.acting_root(user)
        self.fields["org"].queryset = selectors.sampleable_orgs(user, max_levels=ORG_CHOICE_LEVELS)
        self.fields["org"].root_depth = root.depth if root else 0
        self.fields["region"].queryset = selectors.sampleable_regions(user)

    @staticmethod
    def default_initial() -> dict:
        today = timezone.localdate()
        return {"closed_from": today - dt.timedelta(days=90), "closed_to": today, "size": 10}

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        by_ratio = data["size_mode"] == "ratio"
        return {
            "scope": data["scope"],
            "org": data["org"] if data["scope"] == SpotCheckBatch.Scope.ORG else None,
            "region": data["region"] if data["scope"] == SpotCheckBatch.Scope.REGION else None,
            "closed_from": data["closed_from"], "closed_to": data["closed_to"],
            "size": None if by_ratio else data["size"],
            "ratio": data["ratio"] if by_ratio else None,
        }


class ReviewForm(StyledForm):
    verdict = forms.ChoiceField(label="抽检结论", choices=[("qualified", "合格"), ("unqualified", "不合格")],
                                widget=forms.RadioSelect)
    opinion = forms.CharField(label="整改意见（不合格时必填）", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(StyledForm):
    verdict = forms.ChoiceField(label="核查结论", choices=[("passed", "通过"), ("failed", "不通过")],
                                widget=forms.RadioSelect)
    opinion = forms.CharField(label="核查意见（不通过时必填）", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RectifyForm(StyledForm):
    conclusion = forms.ChoiceField(label="核查结论", choices=Report.Conclusion.choices,
                                   widget=forms.RadioSelect)
    verification_summary = forms.CharField(label="简要核查情况", max_length=5000,
                                           widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.CharField(label="处理决定", required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    penalty_amount = forms.DecimalField(label="处罚金额（元）", required=False, min_value=0, max_digits=14,
                                        decimal_places=2)
    rectification = forms.CharField(label="整改情况", required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    reward_status = forms.ChoiceField(label="奖励情况", choices=Report.RewardStatus.choices,
                                      widget=forms.RadioSelect)
    reward_amount = forms.DecimalField(label="奖励金额（元）", required=False, min_value=0, max_digits=12,
                                       decimal_places=2)
    reward_paid_on = forms.DateField(label="兑现日期", required=False,
                                     widget=IsoDateInput())
    attachments = MultipleFileField(label="整改材料")
    explanation = forms.CharField(label="整改说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(report: Report) -> dict:
        return {
            "conclusion": report.conclusion, "verification_summary": report.verification_summary,
            "decision": report.decision, "penalty_amount": report.penalty_amount,
            "rectification": report.rectification, "reward_status": report.reward_status,
            "reward_amount": report.reward_amount, "reward_paid_on": report.reward_paid_on,
        }

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        status = data["reward_status"]
        # The page hides the amount and date that do not apply to the chosen 奖励情况 (like 办结):
        # whatever stayed in a hidden field is not what the user meant to submit.
        if status == Report.RewardStatus.NONE:
            data["reward_amount"] = None
        if status != Report.RewardStatus.PAID:
            data["reward_paid_on"] = None
        files = data.pop("attachments") or []
        return {**data, "files": files}
