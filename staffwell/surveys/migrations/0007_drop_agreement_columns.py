from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_agreements_in_partnership")]

    operations = [
        migrations.RemoveField(model_name=model, name=field)
        for model in ("instrument", "campaign")
        for field in ("employer_agreed_by", "employer_agreed_at", "staff_side_agreed_by", "staff_side_agreed_at")
    ]
