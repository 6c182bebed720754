"""The action plan: actions and their progress updates."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from staffwell.assessments.models.cycles import Cycle
from staffwell.assessments.models.frameworks import Element, Statement
from staffwell.organisations.models import Membership


class ActionQuerySet(models.QuerySet):
    def overdue(self, today=None) -> "ActionQuerySet":
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=[Action.Status.DONE, Action.Status.DROPPED])


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Stopped"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    element = models.ForeignKey(Element, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.TextField(help_text="The measure that will show the action worked.")
    employer_owner = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    staff_owner = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.due_date < timezone.localdate() and self.status not in {self.Status.DONE, self.Status.DROPPED}

    @property
    def linked_to(self) -> str:
        if self.statement_id:
            return f"Statement {self.statement.code}"
        if self.element_id:
            return f"Element {self.element.code}: {self.element.title}"
        return "The whole framework"


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.action_id} by {self.author_name}"
