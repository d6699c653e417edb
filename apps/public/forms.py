"""The public report form: one set of rules for the web page and the mini-program API."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.catalogs.models import Industry, ProblemType
from apps.public.validators import clean_description, clean_id_card, normalize_input, reject_markup
from apps.regions.models import Region
from apps.sms.errors import SmsError
from apps.sms.phones import normalize_phone

ANONYMOUS, REAL_NAME = "anonymous", "realname"
MODES = [(ANONYMOUS, "匿名举报"), (REAL_NAME, "实名举报")]


def _required(label: str) -> dict:
    return {"required": f"请填写{label}。", "max_length": f"{label}不能超过%(limit_value)d个字。"}


def _chosen(label: str) -> dict:
    return {"required": f"请选择{label}。", "invalid_choice": f"所选{label}无效，请重新选择。"}


class ReportForm(forms.Form):
    mode = forms.ChoiceField(label="举报方式", choices=MODES,
                             error_messages=_chosen("匿名举报或实名举报"))
    region = forms.CharField(label="举报事项所在地", max_length=6,
                             error_messages=_chosen("举报事项所在的县（区）"))
    address = forms.CharField(label="详细地址", max_length=200, required=False,
                              error_messages=_required("详细地址"))
    problem_type = forms.ModelChoiceField(
        label="问题类型", queryset=ProblemType.objects.filter(is_active=True), to_field_name="code",
        empty_label="请选择", error_messages=_chosen("问题类型"),
    )
    industry = forms.ModelChoiceField(
        label="行业", queryset=Industry.objects.filter(is_active=True), to_field_name="code",
        empty_label="请选择", error_messages=_chosen("行业"),
    )
    reported_unit_name = forms.CharField(label="被举报单位名称", max_length=200,
                                         error_messages=_required("被举报单位名称"))
    reported_unit_address = forms.CharField(label="被举报单位地址", max_length=200, required=False,
                                            error_messages=_required("被举报单位地址"))
    occurred_on = forms.DateField(label="发生时间", required=False,
                                  error_messages={"invalid": "发生时间格式不正确，请选择日期。"})
    description = forms.CharField(label="举报内容", strip=False,
                                  error_messages={"required": "请填写举报内容。"})
    reporter_name = forms.CharField(label="姓名", max_length=50, required=False,
                                    error_messages=_required("姓名"))
    reporter_phone = forms.CharField(label="手机号码", max_length=20, required=False,
                                     error_messages=_required("手机号码"))
    sms_code = forms.CharField(label="短信验证码", max_length=10, required=False)
    reporter_id_number = forms.CharField(label="身份证号码（选填）", max_length=30, required=False)

    TEXT_FIELDS = ("address", "reported_unit_name", "reported_unit_address", "reporter_name")

    def clean_region(self) -> Region:
        code = normalize_input(self.cleaned_data["region"])
        has_children = Exists(Region.objects.filter(parent=OuterRef("pk")))
        region = Region.objects.filter(code=code).annotate(has_children=has_children).first()
        if region is None:
            raise forms.ValidationError("请选择举报事项所在地。")
        if not region.is_served:
            raise forms.ValidationError("所选地区的举报不由本系统受理，请选择举报事项所在的省、市、县。")
        if region.has_children:
            raise forms.ValidationError(f"请继续选择{region.name}下属的市、县（区）。")
        return region

    def clean_description(self) -> str:
        return clean_description(self.cleaned_data["description"])

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("发生时间不能晚于今天。")
        return day

    def clean_reporter_id_number(self) -> str:
        return clean_id_card(self.cleaned_data["reporter_id_number"])

    def clean(self):
        data = super().clean()
        for name in self.TEXT_FIELDS:
            value = data.get(name)
            if value:
                try:
                    reject_markup(value, self.fields[name].label)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        if data.get("mode") == REAL_NAME:
            self._clean_reporter(data)
        else:
            # Anonymous means anonymous: whatever a client sent about the reporter is dropped.
            for name in ("reporter_name", "reporter_phone", "sms_code", "reporter_id_number"):
                data[name] = ""
        return data

    def _clean_reporter(self, data: dict) -> None:
        if not data.get("reporter_name"):
            self.add_error("reporter_name", "实名举报请填写姓名。")
        phone = normalize_input(data.get("reporter_phone"))
        if not phone:
            self.add_error("reporter_phone", "实名举报请填写手机号码。")
        else:
            try:
                data["reporter_phone"] = normalize_phone(phone)
            except SmsError as exc:
                self.add_error("reporter_phone", exc.message)
        data["sms_code"] = normalize_input(data.get("sms_code"))


class ProgressForm(forms.Form):
    code = forms.CharField(label="举报编码", max_length=40, error_messages={"required": "请输入举报编码。"})
    captcha_key = forms.CharField(required=False, max_length=40)
    captcha_answer = forms.CharField(label="图形验证码", required=False, max_length=10)


class MaterialForm(forms.Form):
    material_token = forms.CharField(max_length=100, error_messages={"required": "页面已过期，请重新查询。"})
    text = forms.CharField(label="补正说明", strip=True, max_length=4000, error_messages={
        "required": "请填写补正说明。", "max_length": "补正说明不能超过%(limit_value)d字。"})

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        reject_markup(text, "补正说明")
        return text
