from django import forms

from apps.catalogs.models import Channel, Industry, ProblemType

COMMON_FIELDS = ["code", "name", "sort_order", "is_active"]


class BootstrapFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )


class ProblemTypeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProblemType
        fields = [*COMMON_FIELDS, "reward_basis"]


class IndustryForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Industry
        fields = [*COMMON_FIELDS, "in_remit", "competent_department"]

    def clean(self):
        data = super().clean()
        if data.get("in_remit") is False and not (data.get("competent_department") or "").strip():
            self.add_error("competent_department", "不属应急管理部门职责的行业必须填写移送部门。")
        if data.get("in_remit"):
            data["competent_department"] = ""
        return data


class ChannelForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Channel
        fields = [*COMMON_FIELDS, "is_public"]
