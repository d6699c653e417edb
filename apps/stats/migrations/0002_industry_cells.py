"""Fill the industry cells (apps.stats.measures.industry_chain) for the reports already stored.

From this release on the cells also count every report at 全国 and at its province once per
industry, so that 司局 and 矿山安监 statistics read cells instead of scanning their industries'
reports. Reports stored before need those cells once: the simplest exact way is the rebuild the
operators already know (`manage.py stats_rebuild`), run here when there are reports. On ten
million reports it takes about as long as stats_rebuild (docs/deploy.md)."""

from django.db import migrations


def rebuild_cells(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    if not Report.objects.exists():
        return
    from apps.stats.rebuild import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("reports", "0004_handling_report_received_at"),
    ]

    operations = [migrations.RunPython(rebuild_cells, migrations.RunPython.noop)]
