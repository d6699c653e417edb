from django.apps import AppConfig


class SysadminConfig(AppConfig):
    name = "apps.sysadmin"
    label = "sysadmin"
    verbose_name = "系统管理"
