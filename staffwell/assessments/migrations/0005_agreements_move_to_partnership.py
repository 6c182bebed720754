"""Move the assessment's four agreements onto the one partnership mechanism (ADR 0018, 0021).

Each side's submission of ratings, each signature, each plan agreement and each sharing
proposal and agreement becomes one ``partnership.Agreement`` row, then the old columns and
tables go. Submissions kept no "who": the audit log's ``assessment.ratings.submitted`` event
says who submitted, and where it is gone the person who took part on that side stands in.
A sharing whose two sides can no longer both be named is stopped (it publishes less).
"""

from django.db import migrations

RATINGS, SIGNOFF, PLAN, SHARING = "assessment.ratings", "assessment.signoff", "assessment.plan", "assessment.sharing"


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="assessments", model=model)[0]


def forward(apps, schema_editor):
    Agreement = apps.get_model("partnership", "Agreement")
    AuditEvent = apps.get_model("core", "AuditEvent")
    Cycle = apps.get_model("assessments", "Cycle")
    Participant = apps.get_model("assessments", "Participant")
    SignOff = apps.get_model("assessments", "SignOff")
    PlanAgreement = apps.get_model("assessments", "PlanAgreement")
    SharingSetting = apps.get_model("assessments", "SharingSetting")
    cycle_type = _content_type(apps, "cycle")
    sharing_type = _content_type(apps, "sharingsetting")
    rows = []

    def row(obj, org_id, content_type, kind, version, side, user, when, name=None, terms=None):
        rows.append(
            Agreement(
                organisation_id=org_id,
                content_type=content_type,
                object_id=str(obj.pk),
                kind=kind,
                version=str(version),
                side=side,
                agreed_by=user,
                agreed_by_name=name or user.full_name,
                agreed_at=when,
                terms=terms or {},
            )
        )

    for cycle in Cycle.objects.select_related("opened_by"):
        for side, when in (("employer", cycle.employer_submitted_at), ("staff", cycle.staff_submitted_at)):
            if when is None:
                continue
            event = (
                AuditEvent.objects.filter(
                    action="assessment.ratings.submitted",
                    object_type="assessments.cycle",
                    object_id=str(cycle.pk),
                    data__side=side,
                    actor__isnull=False,
                )
                .select_related("actor")
                .first()
            )
            user = event.actor if event else None
            if user is None:
                stand_in = (
                    Participant.objects.filter(cycle=cycle, side=side, membership__user__isnull=False)
                    .select_related("membership__user")
                    .order_by("invited_at", "pk")
                    .first()
                )
                user = stand_in.membership.user if stand_in else cycle.opened_by
            if user is None:
                continue
            row(cycle, cycle.organisation_id, cycle_type, RATINGS, "1", side, user, when)
    for s in SignOff.objects.select_related("cycle", "amendment", "signed_by"):
        version = s.amendment.number if s.amendment_id else 0
        terms = {"name": s.signatory_name, "role": s.signatory_role}
        row(s.cycle, s.cycle.organisation_id, cycle_type, SIGNOFF, version, s.side, s.signed_by, s.signed_at, terms=terms)
    for a in PlanAgreement.objects.select_related("cycle", "agreed_by"):
        row(a.cycle, a.cycle.organisation_id, cycle_type, PLAN, a.revision, a.side, a.agreed_by, a.agreed_at)
    for setting in SharingSetting.objects.select_related("proposed_by", "agreed_by", "changed_by"):
        steps = [
            (setting.proposed_side, setting.proposed_by or setting.changed_by, setting.proposed_at),
            (setting.agreed_side, setting.agreed_by or setting.changed_by, setting.agreed_at),
        ]
        steps = [(side, user, when) for side, user, when in steps if side and user and when]
        if setting.share_with_ics and len({side for side, _, _ in steps}) < 2:
            SharingSetting.objects.filter(pk=setting.pk).update(share_with_ics=False)
            continue
        for side, user, when in steps:
            row(setting, setting.organisation_id, sharing_type, SHARING, "1", side, user, when)
    Agreement.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_hswg_workplace_standards'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('partnership', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
