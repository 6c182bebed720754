"""Words and rules for support after an incident and for the just culture guide.

The guide's questions here are our own words following the structure of NHS Improvement's
"A just culture guide" (2018): the deliberate harm test, the health test, the foresight
test, the substitution test and mitigating circumstances, in that order, ending only in the
guide's own kinds of recommendation. Nothing here produces a label or a score.
"""

from dataclasses import dataclass

from django.db import models

GUIDE_URL = "https://www.england.nhs.uk/patient-safety/a-just-culture-guide/"


class About(models.TextChoices):
    MYSELF = "myself", "Myself"
    COLLEAGUE = "colleague", "A colleague (I am their manager)"
    TEAM = "team", "My team (I am their manager)"


class EventKind(models.TextChoices):
    PATIENT_SAFETY = "patient_safety", "A patient safety incident"
    PATIENT_HARM = "patient_harm", "A patient died or was seriously harmed"
    STRESSFUL = "stressful", "Another stressful patient event"
    VIOLENCE = "violence", "Violence, aggression or abuse"
    PROCESS = "process", "A complaint, investigation or inquest"
    OTHER = "other", "Something else"


class EthnicGroup(models.TextChoices):
    """The broad groups of the census classification, as ESR records them."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Another ethnic group"
    NOT_STATED = "not_stated", "Not stated"


REQUEST_SECTIONS = [
    ("what_happened", "What happened"),
    ("what_would_help", "What would help"),
    ("contact", "How and when to get in touch"),
]

REFERRAL_SERVICES = [
    ("occupational_health", "Occupational health"),
    ("psychology", "Staff psychology service"),
    ("chaplaincy", "Chaplaincy and spiritual care"),
    ("eap", "Employee assistance programme"),
]
REFERRAL_LABELS = dict(REFERRAL_SERVICES)

# Tier 1: what a manager does at once. Our own words.
MANAGER_CHECKLIST = [
    "Check they are safe, and not on their own. Ask what they need right now.",
    "If they are not ready to carry on, take them off the next task and arrange cover.",
    "Make sure they can get home safely at the end of the shift.",
    "Tell them what happens next, and that reviews look at how the system worked, not at who to blame.",
    "Do not ask for a written statement straight away.",
    "Offer the peer support programme and the organisation's support contacts.",
    "Agree when you will check in again (within a day or two), and keep checking in over the following weeks.",
]

RESTORATIVE_SECTIONS = [
    ("who_hurt", "Who has been hurt"),
    ("needs", "What they need"),
    ("obligation", "Whose obligation it is to meet those needs"),
    ("agreed", "What was agreed"),
]


class Recommendation(models.TextChoices):
    HARM = "harm", "Deliberate harm: follow the organisation's guidance on management action"
    HEALTH = "health", "A health matter: follow the organisation's health guidance and offer support"
    SYSTEM = "system", "Action singling out the person is unlikely to be appropriate: look at the system"
    MITIGATED = "mitigated", "Action directed at the person may not be appropriate: mitigating circumstances"
    GUIDANCE = "guidance", "Follow the organisation's guidance on supporting the person to put it right"


RECOMMENDATION_TEXT = {
    Recommendation.HARM: "There are signs that harm was intended. Follow the organisation's guidance on "
    "management action; this may mean telling the police or a professional regulator. Look at the system too.",
    Recommendation.HEALTH: "There are signs that the person's health played a part. Follow the organisation's "
    "guidance on health at work (or on alcohol and drugs at work) and offer an occupational health referral. "
    "Treat it as a health matter, not a matter of fault.",
    Recommendation.SYSTEM: "Action singling out the person is unlikely to be appropriate. What happened is likely "
    "to have come from the way the system worked: learn from it and put the system right.",
    Recommendation.MITIGATED: "Given the mitigating circumstances, action directed at the person may not be "
    "appropriate. Follow the organisation's guidance with support for the person, and look at the system.",
    Recommendation.GUIDANCE: "Follow the organisation's guidance on helping the person put it right, such as "
    "training, closer supervision or a change of duties, and consider whether a regulator needs to know. "
    "Look at the system too.",
}


@dataclass(frozen=True)
class Question:
    key: str
    test: str
    text: str
    hint: str
    # The answer that ends the walk-through, and the recommendation it reaches.
    stop_on: str
    reaches: str


TESTS = [
    ("harm", "Deliberate harm"),
    ("health", "Health"),
    ("foresight", "Foresight"),
    ("substitution", "Substitution"),
    ("mitigating", "Mitigating circumstances"),
]
TEST_LABELS = dict(TESTS)

QUESTIONS = [
    Question(
        "harm_intended",
        "harm",
        "Is there any sign that the person meant to cause harm?",
        "Meaning to cause harm is very rare. Think about intent, not about the outcome.",
        "yes",
        Recommendation.HARM,
    ),
    Question(
        "health_substance",
        "health",
        "Is there any sign that alcohol, drugs or medication affected what the person did?",
        "Prescribed medication counts too.",
        "yes",
        Recommendation.HEALTH,
    ),
    Question(
        "health_physical",
        "health",
        "Is there any sign that a physical health problem affected what the person did?",
        "",
        "yes",
        Recommendation.HEALTH,
    ),
    Question(
        "health_mental",
        "health",
        "Is there any sign that a mental health problem affected what the person did?",
        "Stress and fatigue count.",
        "yes",
        Recommendation.HEALTH,
    ),
    Question(
        "protocols_exist",
        "foresight",
        "Were there agreed procedures, or an accepted way of doing this task?",
        "",
        "no",
        Recommendation.SYSTEM,
    ),
    Question(
        "protocols_workable",
        "foresight",
        "Could those procedures be followed in practice, and were they in everyday use?",
        "Think about staffing, equipment and time on the day, not only what is written down.",
        "no",
        Recommendation.SYSTEM,
    ),
    Question(
        "knowingly_departed",
        "foresight",
        "Did the person knowingly depart from them?",
        "",
        "no",
        Recommendation.SYSTEM,
    ),
    Question(
        "peers_differ",
        "substitution",
        "Would colleagues from the same group, with similar experience and in the same circumstances, "
        "probably have acted differently?",
        "Picture someone else in their place, on the same shift, with the same information.",
        "no",
        Recommendation.SYSTEM,
    ),
    Question(
        "missed_training",
        "substitution",
        "Was the person left out when the training for this was given?",
        "",
        "yes",
        Recommendation.SYSTEM,
    ),
    Question(
        "missed_supervision",
        "substitution",
        "Did more senior colleagues fail to give the supervision or support they should have?",
        "",
        "yes",
        Recommendation.SYSTEM,
    ),
    Question(
        "mitigating",
        "mitigating",
        "Were there significant mitigating circumstances?",
        "For example, an emergency, a very unusual workload, or personal circumstances.",
        "yes",
        Recommendation.MITIGATED,
    ),
]
QUESTION_BY_KEY = {q.key: q for q in QUESTIONS}


def next_question(answers: dict) -> Question | None:
    """The first question not yet answered, or None once a recommendation is reached."""
    for q in QUESTIONS:
        given = (answers.get(q.key) or {}).get("answer")
        if given is None:
            return q
        if given == q.stop_on:
            return None
    return None


def outcome(answers: dict) -> str | None:
    """The guide's recommendation the answers reach, or None if not yet reached."""
    for q in QUESTIONS:
        given = (answers.get(q.key) or {}).get("answer")
        if given is None:
            return None
        if given == q.stop_on:
            return q.reaches
    return Recommendation.GUIDANCE


def answered(answers: dict) -> list[Question]:
    """The questions on the path taken, in order."""
    path = []
    for q in QUESTIONS:
        given = (answers.get(q.key) or {}).get("answer")
        if given is None:
            break
        path.append(q)
        if given == q.stop_on:
            break
    return path


def parse_days(text: str) -> list[int]:
    """ "3, 14,42" -> [3, 14, 42]; raises ValueError with a plain message."""
    days = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 365:
            raise ValueError(f"'{part}' is not a number of days between 1 and 365.")
        days.append(int(part))
    return sorted(set(days))
