"""Counters made before cell keys have none: count every response again (the tally worker
does it in the background; public figures wait for the first release)."""

from django.db import migrations


def recount(apps, schema_editor):
    apps.get_model("results", "Tally").objects.all().delete()
    apps.get_model("results", "Snapshot").objects.all().delete()
    apps.get_model("surveys", "Response").objects.update(tallied_at=None)


class Migration(migrations.Migration):
    dependencies = [("results", "0009_cell_keys_and_releases"), ("surveys", "0006_release_minutes")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
