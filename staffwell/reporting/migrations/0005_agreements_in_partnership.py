"""Threshold-proposal and comment-release agreements move to the one partnership mechanism
(issue 13): each side's agreement becomes a ``partnership.Agreement`` row. The old columns
are dropped by the next migration."""

from django.db import migrations

from staffwell.partnership.migrations import _carry as carry

ENDED = {"withdrawn": "withdrawn", "declined": "cleared"}


def forwards(apps, schema_editor):
    carry.forwards(
        apps,
        app_label="reporting",
        model_name="PolicyProposal",
        kind="reporting.thresholds",
        version=lambda p: f"{p.min_group}:{p.free_text_min_group}",
        organisation_id=lambda p: p.organisation_id,
        ended=lambda p: (ENDED[p.status], p.closed_at, p.closed_by_id) if p.status in ENDED else None,
    )
    carry.forwards(
        apps,
        app_label="reporting",
        model_name="CommentReview",
        kind="reporting.comment_release",
        version=lambda r: "reviewed",
        organisation_id=lambda r: r.campaign.organisation_id,
        queryset=lambda qs: qs.select_related("campaign"),
    )


def backwards(apps, schema_editor):
    carry.backwards(apps, app_label="reporting", model_name="PolicyProposal", kind="reporting.thresholds")
    carry.backwards(apps, app_label="reporting", model_name="CommentReview", kind="reporting.comment_release")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_publication_history"),
        ("partnership", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
