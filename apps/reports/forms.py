"""Forms for the staff pages. They only parse input; the business rules live in the actions, whose
ReportActionError messages are shown on the same form."""

import secrets

from django import forms
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from apps.catalogs.models import Channel, Industry, ProblemType
from apps.core.widgets import IsoDateInput
from apps.orgs.scoping import org_region_scope
from apps.regions.codes import is_region_code
from apps.regions.models import Region
from apps.regions.picker import NATION, REGION_LEVELS, RegionScope, deepest_region, region_selects
from apps.reports.filters import EARLIEST_FILTER_DATE, filter_date_error, latest_filter_date
from apps.reports.models import Report
from apps.reports.reward import ACCIDENT_GRADES


def upload_help_text() -> str:
    from apps.uploads.limits import default_limits, human_size

    limits = default_limits()
    image, document = human_size(limits.max_image_bytes), human_size(limits.max_document_bytes)
    video = human_size(limits.max_video_bytes)
    return (
        f"图片（≤{image}）、PDF 和 Office 文档（≤{document}）、短视频（≤{video}），"
        f"最多 {limits.max_files} 个。"
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", upload_help_text())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields in one loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def region_choices_for(org, *, max_depth: int | None = None):
    """Regions an org's pages offer: its jurisdiction, indented by level."""
    # Only what an option shows: a province's boundary alone is hundreds of kilobytes.
    qs = Region.objects.filter(is_served=True).only("code", "name", "depth", "path").order_by("path")
    if org is not None and org.region_id is not None:
        qs = qs.filter(path__startswith=org.region.path)
    if max_depth is not None:
        qs = qs.filter(depth__lte=max_depth)
    return qs


class RegionPickerWidget(forms.Widget):
    """Three cascading selects (province → city → county) instead of one select of every region:
    drawn by the server down to the current choice (apps/regions/picker.py) and enhanced by
    static/js/region-picker.js. The form reads the deepest chosen level; without JavaScript the
    【选择下级】 button redraws the form with the next level filled in."""

    template_name = "reports/_region_picker.html"
    regions_url = "/api/v1/regions"

    def __init__(self, attrs=None, scope: RegionScope = NATION):
        super().__init__(attrs)
        self.scope = scope

    def value_from_datadict(self, data, files, name):
        return deepest_region(data, name)

    def value_omitted_from_data(self, data, files, name):
        return not any(key in data for key in (name, *(f"{name}_{level}" for level, _ in REGION_LEVELS)))

    def id_for_label(self, id_):
        return f"{id_}_{REGION_LEVELS[0][0]}" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        code = value.code if isinstance(value, Region) else str(value or "")
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        selects = region_selects(code, self.scope)
        for select in selects:
            select["name"] = f"{name}_{select['level']}"
            select["id"] = f"{base_id}_{select['level']}"
        context = {
            "id": base_id,
            "selects": selects,
            "regions_url": self.regions_url,
            "roots": ",".join(sorted(self.scope.root_codes)),
            "ancestors": ",".join(sorted(self.scope.ancestor_codes)),
            "invalid": bool((attrs or {}).get("aria-invalid")),
        }
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308 (escaped template)


class RegionPickerField(forms.Field):
    """A leaf region inside a jurisdiction, posted as its GB/T 2260 code."""

    widget = RegionPickerWidget
    default_error_messages = {"required": "请选择举报事项所在地。"}

    def __init__(self, *, scope: RegionScope = NATION, **kwargs):
        super().__init__(**kwargs)
        self.set_scope(scope)

    def set_scope(self, scope: RegionScope) -> None:
        self.scope = scope
        self.widget.scope = scope

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        code = str(value).strip()
        region = (
            Region.objects.filter(code=code)
            .annotate(has_children=Exists(Region.objects.filter(parent=OuterRef("pk"))))
            .first()
            if is_region_code(code)
            else None
        )
        if region is None:
            raise forms.ValidationError("所选地区不存在，请重新选择。", code="invalid_choice")
        if not region.is_served:
            raise forms.ValidationError(f"{region.name}的举报不由本系统受理。", code="not_served")
        if not self.scope.allows(region):
            raise forms.ValidationError(
                f"{region.name}不在本单位管辖范围内，请选择本辖区内的地区，或由属地应急管理部门录入。",
                code="outside_jurisdiction",
            )
        if region.has_children:
            below = "市、县（区）" if region.level == Region.Level.PROVINCE else "县（市、区）"
            raise forms.ValidationError(f"请继续选择{region.name}下属的{below}。", code="not_leaf")
        return region


class PlainSelect(forms.Select):
    """A select whose options are joined in Python: Django renders each option through its own
    template, and the ministry's region filter (every province and city, ~370 options) cost most of
    a list page's 100 ms that way."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        attributes = flatatt(widget["attrs"])
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attributes, options)


class RegionChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, obj):
        return "\u3000" * obj.depth + obj.name


class ReportEntryForm(StyledForm):
    """新建举报 (staff entry of a 信件、来访、传真、电话、12350… report)."""

    ANONYMITY = [("real", "实名举报"), ("anonymous", "匿名举报")]

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    channel = forms.ModelChoiceField(label="举报形式", queryset=Channel.objects.none(), empty_label="请选择")
    received_on = forms.DateField(
        label="收到日期", widget=IsoDateInput(), help_text="受理期限从收到之日起计算（3个工作日）。"
    )
    anonymity = forms.ChoiceField(
        label="举报方式", choices=ANONYMITY, widget=forms.RadioSelect, initial="real"
    )
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_phone = forms.CharField(label="举报人手机号码", max_length=11, required=False)
    reporter_id_number = forms.CharField(label="举报人身份证号", max_length=18, required=False)
    region = RegionPickerField(label="举报事项所在地")
    address = forms.CharField(label="详细地址", max_length=200, required=False)
    reported_unit_name = forms.CharField(label="被举报单位", max_length=200)
    reported_unit_address = forms.CharField(label="被举报单位地址", max_length=200, required=False)
    industry = forms.ModelChoiceField(label="行业", queryset=Industry.objects.none(), empty_label="请选择")
    problem_type = forms.ModelChoiceField(
        label="问题类型", queryset=ProblemType.objects.none(), empty_label="请选择"
    )
    occurred_on = forms.DateField(label="发生时间", required=False, widget=IsoDateInput())
    description = forms.CharField(label="举报内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label="附件")

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(is_active=True, is_public=False)
        self.fields["industry"].queryset = Industry.objects.filter(is_active=True)
        self.fields["problem_type"].queryset = ProblemType.objects.filter(is_active=True)
        self.fields["region"].set_scope(org_region_scope(org))
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
            self.initial.setdefault("form_token", secrets.token_urlsafe(16))

    def clean(self):
        data = super().clean()
        if data.get("anonymity") == "real":
            if not data.get("reporter_name"):
                self.add_error("reporter_name", "实名举报请填写举报人姓名。")
            if not data.get("reporter_phone"):
                self.add_error("reporter_phone", "实名举报请填写举报人手机号码。")
        return data


class DecisionForm(StyledForm):
    notify_reporter = forms.BooleanField(label="短信告知举报人", required=False, initial=True)


class AcceptForm(DecisionForm):
    comment = forms.CharField(
        label="受理意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notify_reporter = forms.BooleanField(label="短信告知举报人已受理", required=False, initial=False)


class DeferForm(DecisionForm):
    missing = forms.CharField(
        label="需补正的全部内容",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="一次性告知举报人需要补正的全部内容。",
    )


class RejectForm(DecisionForm):
    reason = forms.ChoiceField(
        label="不予受理原因", choices=Report.RejectReason.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label="说明 / 需补正内容", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    duplicate_of_number = forms.CharField(
        label="原举报单报告编号",
        required=False,
        max_length=32,
        help_text="重复举报时填写；原举报单须已受理、核查中或已办结。",
    )
    referred_department = forms.CharField(
        label="移送部门", required=False, max_length=100, help_text="不属于本部门职责时填写，默认按行业确定。"
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class DispatchForm(StyledForm):
    target = forms.ChoiceField(label="转办至", choices=())
    comment = forms.CharField(
        label="转办意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        internal = [(str(o.pk), o.name) for o in targets if o.kind == "internal"]
        below = [(str(o.pk), o.name) for o in targets if o.kind != "internal"]
        choices = [("", "请选择")]
        if internal:
            choices.append(("内设机构（本级核查）", internal))
        if below:
            choices.append(("下级机构", below))
        self.fields["target"].choices = choices


class VerificationFields(StyledForm):
    conclusion = forms.ChoiceField(
        label="核查结论", choices=Report.Conclusion.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(label="简要核查情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.CharField(
        label="处理决定", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    penalty_amount = forms.DecimalField(
        label="处罚金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    rectification = forms.CharField(
        label="整改情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeedbackForm(VerificationFields):
    attachments = MultipleFileField(label="核查材料")
    comment = forms.CharField(
        label="反馈意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ForwardForm(StyledForm):
    comment = forms.CharField(
        label="反馈意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(VerificationFields):
    reward_status = forms.ChoiceField(
        label="奖励情况",
        choices=Report.RewardStatus.choices,
        widget=forms.RadioSelect,
        initial=Report.RewardStatus.NONE,
    )
    reward_amount = forms.DecimalField(
        label="奖励金额（元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    reward_paid_on = forms.DateField(label="兑现日期", required=False, widget=IsoDateInput())
    concealed_deaths = forms.IntegerField(
        label="瞒报死亡人数（用于计算奖励）", required=False, min_value=0, max_value=1000
    )
    accident_grade = forms.ChoiceField(
        label="事故等级（用于计算奖励）",
        required=False,
        choices=[("", "—")] + [(k, v[0]) for k, v in ACCIDENT_GRADES.items()],
    )
    notify_reporter = forms.BooleanField(label="短信告知举报人办理结果", required=False, initial=True)
    comment = forms.CharField(
        label="办结意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, reward_basis: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The death count and accident grade only feed the hint for a concealed accident.
        if reward_basis is not None and reward_basis != "concealed_deaths":
            del self.fields["concealed_deaths"]
            del self.fields["accident_grade"]


class RewardRecordForm(StyledForm):
    amount = forms.DecimalField(label="奖励金额（元）", min_value=0, max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label="兑现日期", widget=IsoDateInput())
    comment = forms.CharField(
        label="备注", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


DEADLINE_CHOICES = [("", "全部"), ("normal", "正常"), ("soon", "即将超期"), ("overdue", "超期")]


class ReportFilterForm(StyledForm):
    """Search and filters shared by every list page (and the API's report_list)."""

    q = forms.CharField(label="报告编号/举报编码", required=False, max_length=40)
    unit = forms.CharField(label="被举报单位", required=False, max_length=100)
    problem_type = forms.ModelChoiceField(
        label="问题类型", queryset=ProblemType.objects.all(), required=False, empty_label="全部"
    )
    industry = forms.ModelChoiceField(
        label="行业", queryset=Industry.objects.all(), required=False, empty_label="全部"
    )
    channel = forms.ModelChoiceField(
        label="举报形式", queryset=Channel.objects.all(), required=False, empty_label="全部"
    )
    region = RegionChoiceField(
        label="所在地区", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    date_from = forms.DateField(label="举报日期自", required=False, widget=IsoDateInput())
    date_to = forms.DateField(label="至", required=False, widget=IsoDateInput())
    deadline = forms.ChoiceField(label="期限状态", required=False, choices=DEADLINE_CHOICES)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Report.Status.choices])

    def __init__(self, *args, org=None, with_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # A ministry-level user picks provinces and cities; counties are searched within a city.
        self.fields["region"].queryset = region_choices_for(
            org, max_depth=None if (org is not None and org.region_id) else 1
        )
        if not with_status:
            del self.fields["status"]
        # The picker offers only the dates the filter accepts; clean_* still checks typed URLs.
        bounds = {"min": EARLIEST_FILTER_DATE.isoformat(), "max": latest_filter_date().isoformat()}
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs.update(bounds)

    def _bounded_date(self, name: str):
        day = self.cleaned_data.get(name)
        problem = filter_date_error(day)
        if problem:
            raise forms.ValidationError(problem, code="out_of_range")
        return day

    def clean_date_from(self):
        return self._bounded_date("date_from")

    def clean_date_to(self):
        return self._bounded_date("date_to")
