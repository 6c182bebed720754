"""Support for staff affected by patient safety incidents (sometimes called "second victim"
support), and the just culture guide as a guided conversation.

Two kinds of data, two rules (docs/data-rules.md):

* ``SupportRequest`` is staff-owned: what the person wrote is encrypted, the programme and
  anyone else sees only what the owner chose to share, every read is in the owner's access
  log, and the owner can export and erase it. Only what counting and scheduling need
  (kind of event, tier, staff group, dates) is plain.
* ``Walkthrough`` and ``RestorativeConversation`` are organisational records, visible only
  to their participants, the person concerned and their rep.

Nothing joins the two: no walk-through or restorative record refers to a support request
and no support request refers to them (tests/support/test_separation.py checks the schema).
``__str__`` never shows content: it is copied into the audit log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.core.fields import EncryptedJSONField, EncryptedTextField
from staffwell.support import content


class ProgrammeSettings(models.Model):
    """The organisation's peer support programme and its local version of the guide's
    questions. Both sides agree each version (staffwell.partnership, kind
    ``support.programme``)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="support_programme"
    )
    response_target_hours = models.PositiveSmallIntegerField(
        "Response-time target (hours)",
        default=24,
        help_text="How soon a peer supporter should accept a new request before it is escalated.",
    )
    followup_days = models.CharField(
        "Follow-up check-ins (days after the request)",
        max_length=60,
        default="3,14,42",
        help_text="Days after the request, separated by commas, for example 3,14,42.",
    )
    escalate_to = models.EmailField(
        "Escalation email address", blank=True, help_text="Who is told when a request passes the target."
    )
    occupational_health = models.TextField("Occupational health", blank=True)
    psychology = models.TextField("Staff psychology service", blank=True)
    chaplaincy = models.TextField("Chaplaincy and spiritual care", blank=True)
    eap = models.TextField("Employee assistance programme", blank=True)
    # {"harm_intended": "local wording", ...}: only keys of content.QUESTIONS
    local_questions = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Peer support programme settings {self.pk}"

    @property
    def followup_offsets(self) -> list[int]:
        try:
            return content.parse_days(self.followup_days)
        except ValueError:
            return []

    def question_text(self, key: str) -> str:
        return (self.local_questions or {}).get(key) or content.QUESTION_BY_KEY[key].text

    def contacts(self) -> list[tuple[str, str, str]]:
        return [
            (key, label, getattr(self, key)) for key, label in content.REFERRAL_SERVICES if getattr(self, key).strip()
        ]

    def terms(self) -> dict:
        return {
            "response_target_hours": self.response_target_hours,
            "followup_days": self.followup_offsets,
            "local_questions": dict(sorted((self.local_questions or {}).items())),
        }


class PeerSupporter(models.Model):
    """The peer supporter role: granted by the organisation admin, with training dates."""

    membership = models.OneToOneField(
        "organisations.Membership", on_delete=models.CASCADE, related_name="peer_supporter"
    )
    trained_on = models.DateField("Date trained")
    refresher_due = models.DateField("Refresher training due")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["membership__full_name"]

    def __str__(self) -> str:
        return f"Peer supporter {self.pk}"

    @property
    def refresher_overdue(self) -> bool:
        return self.refresher_due < timezone.localdate()


class SupportRequestQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def for_org(self, org):
        return self.filter(organisation=org)

    def to_programme(self):
        return self.filter(to_programme=True)

    def waiting(self):
        return self.to_programme().filter(accepted_at__isnull=True, closed_at__isnull=True)


class SupportRequest(models.Model):
    """Someone asks for support after something happened at work: for themselves, or, as a
    manager, for a colleague or their team. The person who asks owns the request."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_requests")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    # Plain: needed for counting and routing, never for who or why.
    about = models.CharField(max_length=20, choices=content.About.choices, default=content.About.MYSELF)
    event_kind = models.CharField(max_length=30, choices=content.EventKind.choices)
    staff_group = models.CharField(max_length=40, blank=True)
    tier = models.PositiveSmallIntegerField(default=1)
    to_programme = models.BooleanField(default=False)
    # Which sections the owner chose to let the peer support programme see.
    programme_sections = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    referred_to = models.CharField(max_length=30, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Encrypted: everything the person wrote.
    # {"what_happened": "...", "what_would_help": "...", "contact": "...", "colleague": "..."}
    details = EncryptedJSONField(default=dict)
    incident_reference = EncryptedTextField(
        blank=True,
        default="",
        help_text="For the person's own memory only: never shown to anyone else or linked to an investigation.",
    )

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Support request {self.pk}"

    def detail(self, key: str) -> str:
        return (self.details.get(key) or "").strip()

    def sections(self) -> list[tuple[str, str, str]]:
        return [(key, label, self.detail(key)) for key, label in content.REQUEST_SECTIONS]

    @property
    def status_label(self) -> str:
        if self.closed_at:
            return "Closed"
        if self.accepted_at:
            return "A peer supporter is in touch"
        if self.to_programme:
            return "Waiting for a peer supporter"
        return "Guidance given"

    def response_hours(self) -> float | None:
        if not self.accepted_at:
            return None
        return (self.accepted_at - self.created_at).total_seconds() / 3600


class FollowUp(models.Model):
    """A check-in after a request: at the organisation's intervals, or around a date the
    person named (an inquest, an anniversary)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="followups")
    due_on = models.DateField(db_index=True)
    is_trigger = models.BooleanField(default=False)
    label = EncryptedTextField(blank=True, default="")  # the trigger the person named
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Follow-up {self.pk}"


class WalkthroughQuerySet(models.QuerySet):
    def for_org(self, org):
        return self.filter(organisation=org)

    def visible_to(self, membership):
        """Participants, the person concerned and their rep: nobody else."""
        m = membership.pk
        return self.filter(
            models.Q(manager_id=m) | models.Q(hr_id=m) | models.Q(rep_id=m) | models.Q(person_id=m)
        ).filter(organisation_id=membership.organisation_id)


class Walkthrough(models.Model):
    """The just culture guide worked through for one action or omission."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "organisations.Membership", on_delete=models.PROTECT, related_name="+", verbose_name="Person concerned"
    )
    manager = models.ForeignKey("organisations.Membership", on_delete=models.PROTECT, related_name="+")
    hr = models.ForeignKey(
        "organisations.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rep = models.ForeignKey(
        "organisations.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    questions_version = models.PositiveIntegerField(default=1)
    # Encrypted: the action or omission, each answer and its rationale.
    event = EncryptedTextField()
    answers = EncryptedJSONField(default=dict)  # {"harm_intended": {"answer": "no", "rationale": "..."}}
    recommendation = models.CharField(max_length=30, blank=True, choices=content.Recommendation.choices)
    learning_action = models.ForeignKey(
        "assessments.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    support_offered_at = models.DateTimeField(null=True, blank=True)
    # What happened next, for the board's suppressed figures.
    investigation = models.BooleanField(default=False)
    suspended = models.BooleanField(default=False)
    days_suspended = models.PositiveIntegerField(default=0)
    no_case_to_answer = models.BooleanField(default=False)
    ethnic_group = models.CharField(max_length=20, blank=True, choices=content.EthnicGroup.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = WalkthroughQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Just culture guide walk-through {self.pk}"

    def participant_ids(self) -> set[int]:
        return {i for i in (self.manager_id, self.hr_id, self.rep_id) if i}

    def can_see(self, membership) -> bool:
        return membership.pk in self.participant_ids() | {self.person_id}

    def can_edit(self, membership) -> bool:
        return membership.pk in self.participant_ids() and self.completed_at is None

    def answer(self, key: str) -> dict:
        return self.answers.get(key) or {}

    @property
    def next_question(self):
        return content.next_question(self.answers)

    @property
    def reached(self):
        return content.outcome(self.answers)


class RestorativeConversation(models.Model):
    """After an incident: who was hurt, what they need, whose obligation it is, what was agreed."""

    walkthrough = models.ForeignKey(Walkthrough, on_delete=models.CASCADE, related_name="restorative")
    held_on = models.DateField()
    details = EncryptedJSONField(default=dict)  # {"who_hurt":..., "needs":..., "obligation":..., "agreed":...}
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Restorative conversation {self.pk}"

    def detail(self, key: str) -> str:
        return (self.details.get(key) or "").strip()
