from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms

from apps.accounts.models import User, mainland_mobile
from apps.accounts.permissions import assignable_orgs, assignable_roles
from apps.catalogs.models import Industry
from apps.orgs.forms import ID_MAX, search_field
from apps.orgs.models import Org


class LoginStartForm(forms.Form):
    """Step one: account, password and the image captcha (shown after 【发送】)."""

    username = forms.CharField(
        label="用户名",
        max_length=150,
        error_messages={"required": "请输入用户名。", "max_length": "用户名不能超过150个字符。"},
    )
    password = forms.CharField(
        label="密码",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "请输入密码。", "max_length": "密码过长。"},
    )
    captcha = CaptchaField(
        label="图形验证码",
        error_messages={
            "invalid": "图形验证码不正确，请重新输入。",
            "required": "请输入图形验证码。",
            "incomplete": "请输入图形验证码。",
        },
        widget=CaptchaTextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "maxlength": "8",
                "placeholder": "请输入图中字符",
            }
        ),
    )


class LoginCodeForm(forms.Form):
    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={
            "required": "请输入短信验证码。",
            "invalid": "请输入6位数字短信验证码。",
            "max_length": "请输入6位数字短信验证码。",
        },
    )


class PasswordChangeForm(forms.Form):
    """The rules themselves are checked by apps.accounts.services.password_change (one place)."""

    old_password = forms.CharField(
        label="原密码",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput,
        error_messages={"required": "请输入原密码。"},
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput,
        error_messages={"required": "请输入新密码。", "max_length": "新密码不能超过128个字符。"},
    )
    new_password2 = forms.CharField(
        label="确认新密码",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput,
        error_messages={"required": "请再次输入新密码。"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("原密码不正确。")
        return value

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        if one and data.get("old_password") and one == data["old_password"]:
            self.add_error("new_password1", "新密码不能与原密码相同。")
        return data


USERNAME_HELP = "3-50位，字母、数字或 . _ -，创建后不可修改。"


class AccountForm(forms.Form):
    """用户管理: create and edit. Choices come from what the acting administrator may grant."""

    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9._-]{3,50}$",
        max_length=50,
        help_text=USERNAME_HELP,
        error_messages={
            "required": "请输入用户名。",
            "invalid": "用户名只能使用3-50位字母、数字或 . _ -。",
            "max_length": "用户名不能超过50个字符。",
        },
    )
    real_name = forms.CharField(
        label="姓名",
        max_length=50,
        error_messages={"required": "请输入姓名。", "max_length": "姓名不能超过50个字符。"},
    )
    mobile = forms.CharField(
        label="手机号码",
        max_length=11,
        validators=[mainland_mobile],
        help_text="用于接收登录短信验证码。",
        error_messages={"required": "请输入手机号码。", "max_length": "请输入正确的11位中国大陆手机号码。"},
    )
    org = forms.ModelChoiceField(
        label="所属机构",
        queryset=Org.objects.none(),
        error_messages={"required": "请选择所属机构。", "invalid_choice": "不能将用户设在该机构。"},
    )
    role = forms.ChoiceField(
        label="角色", error_messages={"required": "请选择角色。", "invalid_choice": "不能授予该角色。"}
    )
    industry_scope = forms.ModelMultipleChoiceField(
        label="行业范围（部机关司局）",
        queryset=Industry.objects.filter(in_remit=True),
        required=False,
        help_text="仅部机关司局账号可选，须在该司局的职责行业内；不选则为该司局全部行业。",
        error_messages={"invalid_choice": "所选行业无效。"},
    )
    oidc_subject = forms.CharField(
        label="统一身份认证标识",
        max_length=255,
        required=False,
        help_text="统一身份认证平台中该人员的唯一标识（sub），用于统一身份认证登录。",
        error_messages={"max_length": "统一身份认证标识不能超过255个字符。"},
    )

    def __init__(self, *args, actor, account: User | None = None, **kwargs):
        self.actor = actor
        self.account = account
        super().__init__(*args, **kwargs)
        orgs = assignable_orgs(actor)
        if account is not None:
            orgs = Org.objects.filter(pk__in=[*orgs.values_list("pk", flat=True), account.org_id]).order_by(
                "path"
            )
            self.fields["username"].disabled = True
            self.fields["username"].required = False
        self.fields["org"].queryset = orgs
        base = min((depth for depth in orgs.values_list("depth", flat=True)), default=0)
        self.fields["org"].label_from_instance = lambda org: "　" * max(0, org.depth - base) + org.name
        self.fields["role"].choices = assignable_roles(actor)
        if not orgs.filter(kind=Org.Kind.BUREAU).exists():
            # Only the ministry's 司局 accounts carry an industry scope.
            del self.fields["industry_scope"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.SelectMultiple):
                css = "form-select"
                field.widget.attrs["size"] = "6"
            field.widget.attrs.setdefault("class", css)

    def clean_oidc_subject(self):
        value = (self.cleaned_data.get("oidc_subject") or "").strip()
        if value:
            clash = User.objects.filter(oidc_subject=value)
            if self.account is not None:
                clash = clash.exclude(pk=self.account.pk)
            if clash.exists():
                raise forms.ValidationError("该统一身份认证标识已绑定其他账号。")
        return value or None

    def clean_username(self):
        if self.account is not None:
            return self.account.username
        value = self.cleaned_data["username"]
        # Case-insensitive: "Zhang" and "zhang" in two provinces would be one person to a human.
        if User.objects.filter(username__iexact=value).exists():
            raise forms.ValidationError("该用户名已被使用，请换一个。")
        return value

    def clean(self):
        data = super().clean()
        org, industries = data.get("org"), data.get("industry_scope") or []
        if org is not None and industries:
            if org.kind != Org.Kind.BUREAU:
                self.add_error("industry_scope", "只有部机关司局的账号可以设置行业范围。")
            else:
                allowed = set(org.industry_scope.values_list("pk", flat=True))
                if any(item.pk not in allowed for item in industries):
                    self.add_error("industry_scope", "行业范围只能在该司局的职责行业内选择。")
        return data


class UserFilterForm(forms.Form):
    """The query string of 用户管理's list: bad values get a message, never reach the database."""

    q = search_field()
    org = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=ID_MAX,
        error_messages={k: "所选机构无效，请从列表中选择。" for k in ("invalid", "min_value", "max_value")},
    )
    role = forms.ChoiceField(
        required=False,
        choices=[("", "全部"), *User.Role.choices],
        error_messages={"invalid_choice": "所选角色无效，请从列表中选择。"},
    )
