from django import forms
from django.core.validators import RegexValidator

from apps.catalogs.models import Industry
from apps.orgs.actions import can_restructure_org, child_kinds, move_targets, region_choices
from apps.orgs.models import Org
from apps.regions.models import Region

phone_validator = RegexValidator(r"^[0-9+()\- ]{5,30}$", "请输入正确的联系电话（座机或手机号码）。")
code_validator = RegexValidator(r"^[A-Za-z0-9_-]{2,32}$", "机构代码只能使用2-32位字母、数字、_ 或 -。")

MESSAGES = {
    "code": {"max_length": "机构代码不能超过32个字符。"},
    "name": {"required": "请填写机构名称。", "max_length": "机构名称不能超过100个字符。"},
    "contact_person": {"max_length": "联系人不能超过50个字符。"},
    "contact_phone": {"max_length": "联系电话不能超过30个字符。"},
    "address": {"max_length": "地址不能超过200个字符。"},
}


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("size", "6")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class _OrgFields(forms.Form):
    code = forms.CharField(
        label="机构代码",
        max_length=32,
        required=False,
        validators=[code_validator],
        error_messages=MESSAGES["code"],
    )
    name = forms.CharField(label="机构名称", max_length=100, error_messages=MESSAGES["name"])
    region = forms.ModelChoiceField(
        label="行政区划（辖区）",
        queryset=Region.objects.none(),
        required=False,
        error_messages={"invalid_choice": "所选行政区划无效。"},
    )
    contact_person = forms.CharField(
        label="联系人", max_length=50, required=False, error_messages=MESSAGES["contact_person"]
    )
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=30,
        required=False,
        validators=[phone_validator],
        error_messages=MESSAGES["contact_phone"],
    )
    address = forms.CharField(
        label="地址", max_length=200, required=False, error_messages=MESSAGES["address"]
    )
    industry_scope = forms.ModelMultipleChoiceField(
        label="行业范围",
        queryset=Industry.objects.filter(in_remit=True),
        required=False,
        help_text="部机关司局、矿山安全监察机构的职责行业。",
        error_messages={"invalid_choice": "所选行业无效。"},
    )


class OrgCreateForm(_OrgFields):
    kind = forms.ChoiceField(
        label="机构类型",
        error_messages={"required": "请选择机构类型。", "invalid_choice": "该机构下不能添加此类型的机构。"},
    )
    field_order = [
        "kind",
        "code",
        "name",
        "region",
        "contact_person",
        "contact_phone",
        "address",
        "industry_scope",
    ]

    def __init__(self, *args, parent: Org, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["kind"].choices = child_kinds(parent)
        self.fields["region"].queryset = region_choices(parent)
        self.fields["code"].help_text = "内设机构可不填，系统自动生成。"
        _style(self)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kind != Org.Kind.INTERNAL:
            if not data.get("code") and "code" not in self.errors:
                self.add_error("code", "请填写机构代码。")
            if (
                kind in (Org.Kind.EMERGENCY, Org.Kind.ZONE)
                and not data.get("region")
                and "region" not in self.errors
            ):
                self.add_error("region", "请选择该机构的行政区划。")
        if data.get("code") and Org.objects.filter(code=data["code"]).exists():
            self.add_error("code", "机构代码已被使用。")
        return data


class OrgEditForm(_OrgFields):
    def __init__(self, *args, actor, org: Org, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        below = can_restructure_org(actor, org)
        self.fields["code"].required = True
        if not below:
            # One's own org: name and contact details only.
            for name in ("code", "region", "industry_scope"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "本级机构的该项由上级机构管理员维护。"
        if org.kind == Org.Kind.INTERNAL or org.parent is None:
            del self.fields["region"]
        else:
            self.fields["region"].queryset = region_choices(org.parent) | Region.objects.filter(
                pk=org.region_id
            )
        if org.kind not in (Org.Kind.BUREAU, Org.Kind.MINE_SAFETY):
            del self.fields["industry_scope"]
        _style(self)

    def clean_code(self):
        value = self.cleaned_data.get("code") or self.org.code
        if Org.objects.filter(code=value).exclude(pk=self.org.pk).exists():
            raise forms.ValidationError("机构代码已被使用。")
        return value


class OrgMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label="新的上级机构",
        queryset=Org.objects.none(),
        error_messages={"required": "请选择新的上级机构。", "invalid_choice": "不能调整到该机构下。"},
    )

    def __init__(self, *args, actor, org: Org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = move_targets(actor, org).order_by("path")
        _style(self)


# The largest id a BigAutoField holds: a bigger one in a query string would overflow the
# database's integer (SQLite raises OverflowError, a 500) instead of matching nothing.
ID_MAX = 2**63 - 1


def search_field(max_length: int = 50) -> forms.CharField:
    """The 查找 box of a list page. A NUL byte is refused here: PostgreSQL rejects it in a text
    parameter (DataError, a 500)."""
    return forms.CharField(
        required=False,
        max_length=max_length,
        error_messages={
            "max_length": f"查找内容不能超过{max_length}个字。",
            "null_characters_not_allowed": "查找内容中含有不可见的空字符，请重新输入。",
        },
    )


class OrgFilterForm(forms.Form):
    """The query string of 机构管理's list (the parent is checked by org_get_for_user_or_404)."""

    q = search_field()
