"""Password rules beyond Django's (等保 2.0 level 3). Messages are Chinese; each validator also
explains itself on the change-password page through get_help_text()."""

import re

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", re.compile(r"[A-Z]")),
    ("小写字母", re.compile(r"[a-z]")),
    ("数字", re.compile(r"[0-9]")),
    ("特殊字符", re.compile(r"[^A-Za-z0-9]")),
)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _, pattern in CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"须包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类。"


class UsernameNotContainedValidator:
    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


class PasswordHistoryValidator:
    """Not one of the account's last `history` passwords (the current one included).

    Django calls password_changed() after every save of a new password, which records it here;
    the history is trimmed to the last `history` entries.
    """

    def __init__(self, history: int = 5):
        self.history = history

    def _recent(self, user):
        from apps.accounts.models import PasswordHistory

        return PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[: self.history]

    def validate(self, password, user=None):
        if user is None or getattr(user, "pk", None) is None:
            return
        encoded = [row.password for row in self._recent(user)]
        if user.password and user.password not in encoded:
            encoded.append(user.password)
        if any(check_password(password, value) for value in encoded if value):
            raise ValidationError(
                f"新密码不能与最近{self.history}次使用过的密码相同。", code="password_reused"
            )

    def password_changed(self, password, user=None):
        from apps.accounts.models import PasswordHistory

        if user is None or getattr(user, "pk", None) is None or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(self._recent(user).values_list("pk", flat=True))
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()

    def get_help_text(self):
        return f"不能与最近{self.history}次使用过的密码相同。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Chinese message: Django 5.2's zh_Hans catalog misses this message's
    current wording, so the stock validator speaks English to a Chinese page."""

    def get_error_message(self):
        return f"密码长度太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"至少{self.min_length}个字符。"
