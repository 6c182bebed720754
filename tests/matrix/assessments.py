import datetime

from staffwell.assessments import services
from staffwell.assessments.models import Action, Evidence
from tests.assessments import helpers
from tests.matrix import org_page

BOTH = {"lead", "rep"}


def _org(w):
    return {"org": w.org.slug}


def _cycle(w):
    return {"org": w.org.slug, "cycle_id": helpers.open_cycle(w).pk}


def _participant(w):
    cycle = helpers.open_cycle(w)
    return {"org": w.org.slug, "cycle_id": cycle.pk, "participant_id": cycle.participants.get(side="staff").pk}


def _submitted(w):
    return {"org": w.org.slug, "cycle_id": helpers.submitted_cycle(w).pk}


def _signed(w):
    return {"org": w.org.slug, "cycle_id": helpers.signed_cycle(w).pk}


def _rate(w):
    cycle = helpers.open_cycle(w)
    return {"org": w.org.slug, "cycle_id": cycle.pk, "element_id": cycle.elements.first().pk}


def _statement(w):
    cycle = helpers.submitted_cycle(w)
    return {"org": w.org.slug, "cycle_id": cycle.pk, "statement_id": cycle.statements().first().pk}


def _evidence(w):
    cycle = helpers.submitted_cycle(w)
    evidence = Evidence.objects.create(
        cycle=cycle,
        statement=cycle.statements().first(),
        kind=Evidence.Kind.LINK,
        title="Policy",
        url="https://x.example",
    )
    return {"org": w.org.slug, "cycle_id": cycle.pk, "evidence_id": evidence.pk}


def _action(w):
    cycle = helpers.submitted_cycle(w)
    action = services.save_action(
        action=Action(cycle=cycle),
        data={
            "title": "Rest spaces",
            "description": "",
            "measure": "Survey",
            "element": None,
            "statement": None,
            "employer_owner": w.memberships["lead"],
            "staff_owner": w.memberships["rep"],
            "due_date": datetime.date(2030, 1, 1),
        },
        expected_version=None,
        actor=w.users["lead"],
    )
    return {"org": w.org.slug, "cycle_id": cycle.pk, "action_id": action.pk}


def _framework(w):
    return {"org": w.org.slug, "framework_id": helpers.framework().pk}


ENTRIES = {
    "assessments:index": org_page(BOTH),
    "assessments:sharing": org_page(BOTH),
    "assessments:cycle_new": org_page({"lead"}),
    "assessments:frameworks": org_page(BOTH),
    "assessments:framework_example": org_page(BOTH),
    "assessments:framework": org_page(BOTH, kwargs=_framework),
    # Only an integrated care board's employer lead: the test organisation is a trust.
    "assessments:system": org_page(set()),
    "assessments:cycle": org_page(BOTH, kwargs=_cycle),
    "assessments:participants": org_page({"lead"}, kwargs=_cycle),
    "assessments:participant_remove": org_page({"lead"}, kwargs=_participant),
    "assessments:rate": org_page(BOTH, kwargs=_rate),
    "assessments:submit": org_page(BOTH, kwargs=_cycle),
    "assessments:reconcile": org_page(BOTH, kwargs=_submitted),
    "assessments:agree_many": org_page(BOTH, kwargs=_submitted),
    "assessments:agree": org_page(BOTH, kwargs=_statement),
    "assessments:evidence_add": org_page(BOTH, kwargs=_statement, ok=405),
    # A link is not a document, so there is nothing to download: 404 even for the partnership.
    "assessments:evidence": org_page(BOTH, kwargs=_evidence, ok=404),
    "assessments:signoff": org_page(BOTH, kwargs=_submitted),
    "assessments:amend": org_page(BOTH, kwargs=_signed),
    "assessments:results": org_page(BOTH, kwargs=_signed),
    "assessments:actions": org_page(BOTH, kwargs=_submitted),
    "assessments:plan_agree": org_page(BOTH, kwargs=_submitted, ok=405),
    "assessments:action_new": org_page(BOTH, kwargs=_submitted),
    "assessments:action": org_page(BOTH, kwargs=_action),
    "assessments:report_pdf": org_page(BOTH, kwargs=_signed),
    "assessments:report_csv": org_page(BOTH, kwargs=_signed),
    "assessments:report_xlsx": org_page(BOTH, kwargs=_signed),
}
