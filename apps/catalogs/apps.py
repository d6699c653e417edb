from django.apps import AppConfig


class CatalogsConfig(AppConfig):
    name = "apps.catalogs"
    label = "catalogs"
    verbose_name = "基础数据"
