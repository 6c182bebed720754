"""The data migrations carry agreements recorded the old way (agreed-by/agreed-at columns on
question sets, campaigns, threshold proposals and comment reviews) into partnership
agreement rows, then drop the columns (issue 13)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("surveys", "0005_sealed_responses_no_reminder_counts"), ("reporting", "0004_publication_history")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_agreements_in_the_old_columns_become_partnership_rows():
    old = _migrate(BEFORE)
    Organisation = old.get_model("organisations", "Organisation")
    User = old.get_model("accounts", "User")
    Instrument = old.get_model("surveys", "Instrument")
    Campaign = old.get_model("surveys", "Campaign")
    PolicyProposal = old.get_model("reporting", "PolicyProposal")
    CommentReview = old.get_model("reporting", "CommentReview")
    org = Organisation.objects.create(name="Carried Trust", slug="carried", ods_code="RCA01")
    lead = User.objects.create(email="lead@carried.example", full_name="Lee Lead", password="!")
    rep = User.objects.create(email="rep@carried.example", full_name="Rae Rep", password="!")
    at = timezone.now() - datetime.timedelta(days=3)
    both = {
        "employer_agreed_by": lead,
        "employer_agreed_at": at,
        "staff_side_agreed_by": rep,
        "staff_side_agreed_at": at,
    }
    instrument = Instrument.objects.create(
        organisation=org, key="estates", version=2, name="Estates", status="agreed", **both
    )
    today = timezone.localdate()
    draft = Campaign.objects.create(
        organisation=org,
        name="Draft",
        instrument=instrument,
        opens_on=today,
        closes_on=today,
        invitation_message="x",
        reminder_message="y",
        employer_agreed_by=lead,
        employer_agreed_at=at,
    )
    withdrawn = PolicyProposal.objects.create(
        organisation=org,
        min_group=12,
        free_text_min_group=20,
        previous_min_group=10,
        previous_free_text_min_group=15,
        reason="r",
        status="withdrawn",
        closed_by=rep,
        closed_at=at,
        staff_side_agreed_by=rep,
        staff_side_agreed_at=at,
    )
    released = CommentReview.objects.create(campaign=draft, released_at=at, **both)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from staffwell.partnership.models import Agreement
    from staffwell.reporting.models import CommentReview as Review
    from staffwell.reporting.models import PolicyProposal as Proposal
    from staffwell.surveys.models import Campaign as NewCampaign
    from staffwell.surveys.models import Instrument as NewInstrument

    question_set = NewInstrument.objects.get(pk=instrument.pk).agreement
    assert question_set.complete and question_set.version == "2"
    assert question_set.employer.agreed_by_id == lead.pk and question_set.employer.agreed_by_name == "Lee Lead"
    assert question_set.staff.agreed_at == at
    campaign = NewCampaign.objects.get(pk=draft.pk).agreement
    assert campaign.employer.agreed_by_id == lead.pk and campaign.staff is None
    proposal = Proposal.objects.get(pk=withdrawn.pk)
    assert not proposal.agreement.agreements  # withdrawn: no longer standing
    (kept,) = proposal.agreements_ever()
    assert (kept.side, kept.ended, kept.ended_by_id, kept.version) == ("staff", "withdrawn", rep.pk, "12:20")
    assert Review.objects.get(pk=released.pk).agreement.complete
    assert Agreement.objects.count() == 6
    assert not any(f.name.endswith("agreed_at") for f in NewCampaign._meta.get_fields())
