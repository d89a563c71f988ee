"""Roll-up cells now hold education too (rollup.CELL_KEYS), for the dashboard's filters:
recount everything, exactly once, as 0003 did (live totals stay exact meanwhile)."""

from django.db import migrations, models


def recount(apps, schema_editor):
    apps.get_model("results", "Snapshot").objects.all().delete()
    apps.get_model("results", "Tally").objects.all().delete()
    apps.get_model("surveys", "Response").objects.exclude(tallied_at=None).update(tallied_at=None)


class Migration(migrations.Migration):
    dependencies = [("results", "0004_analysis_theme")]

    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="arrays",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
