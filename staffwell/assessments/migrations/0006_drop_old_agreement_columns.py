"""The assessment's old agreement columns and tables go: the agreements are in
partnership.Agreement now (0005)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_agreements_move_to_partnership'),
    ]

    operations = [
        migrations.DeleteModel(
            name='PlanAgreement',
        ),
        migrations.DeleteModel(
            name='SignOff',
        ),
        migrations.RemoveConstraint(
            model_name='sharingsetting',
            name='sharing_agreed_by_both_sides',
        ),
        migrations.RemoveField(
            model_name='cycle',
            name='employer_submitted_at',
        ),
        migrations.RemoveField(
            model_name='cycle',
            name='staff_submitted_at',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='agreed_at',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='agreed_by',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='agreed_by_name',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='agreed_side',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='proposed_at',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='proposed_by',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='proposed_by_name',
        ),
        migrations.RemoveField(
            model_name='sharingsetting',
            name='proposed_side',
        ),
    ]
