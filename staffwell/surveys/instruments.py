"""The instruments every installation ships with, as data.

Loaded by a data migration (``0002_instruments``). ``load_shipped`` takes the model classes
so it works with the historical models a migration passes in.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

FREQUENCY = [
    {"value": 1, "label": "Never"},
    {"value": 2, "label": "Seldom"},
    {"value": 3, "label": "Sometimes"},
    {"value": 4, "label": "Often"},
    {"value": 5, "label": "Always"},
]
AGREEMENT = [
    {"value": 1, "label": "Strongly disagree"},
    {"value": 2, "label": "Disagree"},
    {"value": 3, "label": "Neutral"},
    {"value": 4, "label": "Agree"},
    {"value": 5, "label": "Strongly agree"},
]
FEELING = [
    {"value": 1, "label": "Very poor"},
    {"value": 2, "label": "Poor"},
    {"value": 3, "label": "Okay"},
    {"value": 4, "label": "Good"},
    {"value": 5, "label": "Very good"},
]

HSE_SCALES = ["Demands", "Control", "Manager support", "Peer support", "Relationships", "Role", "Change"]

PULSE_QUESTIONS = [
    # (text, scale, response set, required)
    ("Over the last month my workload has been manageable", "Workload", "agreement", True),
    ("I get the support I need from the people I work with", "Support", "agreement", True),
    ("My line manager takes a real interest in my health and wellbeing", "Support", "agreement", True),
    ("I feel safe to speak up about anything that worries me at work", "Speaking up", "agreement", True),
    ("Overall, how have you been feeling at work over the last month?", "Feeling", "feeling", True),
]
PULSE_FREE_TEXT = "What one change would make the biggest difference to your wellbeing at work?"


def slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def hse_rows() -> list[dict]:
    with (DATA / "hse-indicator-tool.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_shipped(*, Instrument, Scale, ResponseSet, Question) -> None:
    if not Instrument.objects.filter(organisation=None, key="hse-indicator-tool", version=1).exists():
        hse = Instrument.objects.create(
            organisation=None,
            key="hse-indicator-tool",
            version=1,
            name="HSE Management Standards Indicator Tool",
            summary=(
                "35 statements about working conditions in seven areas that, if not managed well, "
                "are linked to work-related stress: demands, control, manager support, peer support, "
                "relationships, role and change. An input to the organisation's stress risk "
                "assessment, never a score for an individual."
            ),
            recall_period="the last six months",
            attribution=OGL_ATTRIBUTION,
            source_url="https://www.hse.gov.uk/stress/standards/",
            status="agreed",
        )
        scales = {
            name: Scale.objects.create(instrument=hse, key=slug(name), name=name, order=i)
            for i, name in enumerate(HSE_SCALES)
        }
        sets = {
            "frequency": ResponseSet.objects.create(
                instrument=hse, key="frequency", name="How often", options=FREQUENCY
            ),
            "agreement": ResponseSet.objects.create(
                instrument=hse, key="agreement", name="How much you agree", options=AGREEMENT
            ),
        }
        for row in hse_rows():
            Question.objects.create(
                instrument=hse,
                number=int(row["item"]),
                text=row["statement"],
                kind="scored",
                response_set=sets[row["response_set"]],
                scale=scales[row["scale"]],
                reverse_scored=row["reverse_scored"] == "yes",
                required=True,
            )
    if not Instrument.objects.filter(organisation=None, key="wellbeing-pulse", version=1).exists():
        pulse = Instrument.objects.create(
            organisation=None,
            key="wellbeing-pulse",
            version=1,
            name="Wellbeing pulse",
            summary=(
                "Five quick questions on workload, support, speaking up and how people are feeling, "
                "and one optional question to answer in your own words. Takes about two minutes."
            ),
            recall_period="the last month",
            status="agreed",
        )
        sets = {
            "agreement": ResponseSet.objects.create(
                instrument=pulse, key="agreement", name="How much you agree", options=AGREEMENT
            ),
            "feeling": ResponseSet.objects.create(
                instrument=pulse, key="feeling", name="How you have been feeling", options=FEELING
            ),
        }
        scales = {}
        for _text, scale, _, _ in PULSE_QUESTIONS:
            if scale not in scales:
                scales[scale] = Scale.objects.create(instrument=pulse, key=slug(scale), name=scale, order=len(scales))
        for number, (text, scale, response_set, required) in enumerate(PULSE_QUESTIONS, start=1):
            Question.objects.create(
                instrument=pulse,
                number=number,
                text=text,
                kind="scored",
                response_set=sets[response_set],
                scale=scales[scale],
                required=required,
            )
        Question.objects.create(
            instrument=pulse,
            number=len(PULSE_QUESTIONS) + 1,
            text=PULSE_FREE_TEXT,
            hint="Optional. Please do not include names or anything that could identify you or anyone else.",
            kind="free_text",
            required=False,
        )
