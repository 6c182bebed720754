"""The thresholds model moves to the suppression app (issue 13): the table stays as it is;
only Django's record of which app owns it changes (suppression 0001 takes it over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0006_drop_agreement_columns")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ReportingPolicy")]),
    ]
