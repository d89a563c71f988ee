"""Weighting needs counts by country x age group x gender (rollup.WEIGHTING_CELL), which
earlier roll-ups lack: clear the roll-up and mark every response untallied, so the tally
worker counts everything again, exactly once (live totals stay exact meanwhile)."""

from django.db import migrations


def recount(apps, schema_editor):
    apps.get_model("results", "Snapshot").objects.all().delete()
    apps.get_model("results", "Tally").objects.all().delete()
    apps.get_model("surveys", "Response").objects.exclude(tallied_at=None).update(tallied_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0002_snapshot"),
        ("surveys", "0002_untallied_queue"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
