# The consultations are all in an organization now (0003); the foreign key may be required.
# A migration of its own: PostgreSQL alters no table with the update's checks still pending.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_organizations_and_roles")]

    operations = [
        migrations.AlterField(
            model_name='consultation',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='consultations.organization'),
        ),
    ]
