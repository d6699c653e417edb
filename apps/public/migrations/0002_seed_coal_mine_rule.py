"""The one routing exception the ministry asked for from the start: 煤矿 reports go to the
province's 国家矿山安全监察局 office (where there is none, the local bureau still gets them).
Administrators edit or switch it off in 分办规则."""

from django.db import migrations


def forwards(apps, schema_editor):
    Industry = apps.get_model("catalogs", "Industry")
    RoutingRule = apps.get_model("public", "RoutingRule")
    coal = Industry.objects.filter(code="coal_mine").first()
    if coal is None or RoutingRule.objects.filter(industry=coal).exists():
        return
    RoutingRule.objects.create(
        name="煤矿举报转所在省矿山安全监察局", industry=coal, target="province_mine_safety", priority=10,
        note="所在省没有矿山安全监察机构时，仍由属地应急管理部门接收。",
    )


def backwards(apps, schema_editor):
    apps.get_model("public", "RoutingRule").objects.filter(name="煤矿举报转所在省矿山安全监察局").delete()


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial"), ("catalogs", "0002_seed")]
    operations = [migrations.RunPython(forwards, backwards)]
