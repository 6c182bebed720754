from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffimport",
            name="allow_new_units",
            field=models.BooleanField(
                default=False,
                help_text="The uploader confirmed that unit paths new to the organisation are real units.",
            ),
        ),
    ]
