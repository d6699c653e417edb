from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "用户"

    def ready(self):
        from apps.accounts import signals  # noqa: F401  (connects the audit receivers)
