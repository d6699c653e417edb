from django.db import migrations

from apps.catalogs.seed import seed_catalogs


def forwards(apps, schema_editor):
    seed_catalogs(apps.get_model("catalogs", "ProblemType"), apps.get_model("catalogs", "Industry"),
                  apps.get_model("catalogs", "Channel"))


class Migration(migrations.Migration):
    dependencies = [("catalogs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
