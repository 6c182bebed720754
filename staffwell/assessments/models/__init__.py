"""Frameworks (versioned data), assessment cycles run in partnership, and action plans.

A framework version is never changed once loaded: a cycle points at the exact version it
was run on. Each side's ratings are kept apart (``Rating.side``) and shown to the other side
only once both sides have submitted (``Cycle.both_submitted``).

One module per seam: ``frameworks``, ``cycles``, ``actions``, ``sharing``.
"""

from staffwell.assessments.models.actions import Action, ActionQuerySet, ActionUpdate
from staffwell.assessments.models.cycles import (
    AgreedRating,
    Amendment,
    Cycle,
    CycleQuerySet,
    Evidence,
    Participant,
    ParticipantQuerySet,
    Rating,
    evidence_path,
)
from staffwell.assessments.models.frameworks import (
    Element,
    Framework,
    FrameworkQuerySet,
    RatingLevel,
    Statement,
    SubElement,
)
from staffwell.assessments.models.sharing import SharingSetting
from staffwell.partnership.sides import Side

__all__ = [
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "AgreedRating",
    "Amendment",
    "Cycle",
    "CycleQuerySet",
    "Element",
    "Evidence",
    "Framework",
    "FrameworkQuerySet",
    "Participant",
    "ParticipantQuerySet",
    "Rating",
    "RatingLevel",
    "SharingSetting",
    "Side",
    "Statement",
    "SubElement",
    "evidence_path",
]
