"""Handling.report_received_at: each hop carries its report's received_at so 所有举报 can page a
subtree's reports from the hops' index alone (docs/performance.md).

Filled with one correlated UPDATE that SQLite and PostgreSQL both run; on a large PostgreSQL
database it rewrites every hop once (about a minute per ten million hops) — see docs/deploy.md.
"""

from django.db import migrations, models

FILL = """
UPDATE reports_handling SET report_received_at = (
    SELECT r.received_at FROM reports_report r WHERE r.id = reports_handling.report_id
) WHERE report_received_at IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_filter_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="handling",
            name="report_received_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="举报时间"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="handling",
            name="report_received_at",
            field=models.DateTimeField(editable=False, verbose_name="举报时间"),
        ),
        migrations.AddIndex(
            model_name="handling",
            index=models.Index(
                fields=["org", "-report_received_at", "-report"], name="handling_org_report_received"
            ),
        ),
    ]
