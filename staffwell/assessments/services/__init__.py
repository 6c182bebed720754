"""The assessment workflow: open, rate, submit, agree, sign off, amend, and plan actions.

Every change is audited under ``assessment.*`` or ``actionplan.*`` (visible to both sides).
Audit data never carries one side's ratings before both sides have submitted, because the
partnership audit log is visible to the other side.

The workflow is split by step, one module each (common, cycles, agreeing, plan, sharing);
import it as ``from staffwell.assessments import services`` and call ``services.sign(...)``.
"""

from staffwell.assessments.services.agreeing import (
    add_evidence,
    open_amendment,
    save_agreed,
    save_many_agreed,
    sign,
    unagreed_count,
)
from staffwell.assessments.services.common import (
    Conflict,
    Conflicts,
    NotReady,
    fingerprint,
    membership_of,
    participant_for,
)
from staffwell.assessments.services.cycles import (
    drafts_of,
    invite,
    open_cycle,
    removal_blocker,
    remove_participant,
    save_rating,
    submit_side,
)
from staffwell.assessments.services.plan import (
    add_progress,
    agree_plan,
    notify_overdue,
    plan_is_agreed,
    save_action,
)
from staffwell.assessments.services.sharing import (
    agree_sharing,
    decline_sharing,
    propose_sharing,
    sharing_of,
    stop_sharing,
)
from staffwell.partnership.sides import side_of

__all__ = [
    "Conflict",
    "Conflicts",
    "NotReady",
    "add_evidence",
    "add_progress",
    "agree_plan",
    "agree_sharing",
    "decline_sharing",
    "drafts_of",
    "fingerprint",
    "invite",
    "membership_of",
    "notify_overdue",
    "open_amendment",
    "open_cycle",
    "participant_for",
    "plan_is_agreed",
    "propose_sharing",
    "removal_blocker",
    "remove_participant",
    "save_action",
    "save_agreed",
    "save_many_agreed",
    "save_rating",
    "sharing_of",
    "side_of",
    "sign",
    "stop_sharing",
    "submit_side",
    "unagreed_count",
]
