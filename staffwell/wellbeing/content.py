"""Our own words for check-ins and the wellbeing plan: the mood scale, the factors, the
plan's guided questions and the topics that choose library resources.

The mood scale is words first: each point has a name and a sentence, so it reads the same
to a screen reader, in black and white, and to someone who cannot tell colours apart.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Mood:
    value: int
    name: str
    sentence: str


MOODS = [
    Mood(5, "Good", "I feel well and able to cope."),
    Mood(4, "Fairly good", "Mostly fine, with the odd difficult moment."),
    Mood(3, "Getting by", "Some ups and downs, but I am managing."),
    Mood(2, "Low", "Things are hard at the moment."),
    Mood(1, "Struggling", "I am finding it very hard to cope right now."),
]
MOOD_BY_VALUE = {m.value: m for m in MOODS}
LOWEST_MOOD = 1
HIGHEST_MOOD = 5

FACTORS = [
    ("sleep", "Sleep"),
    ("workload", "Workload"),
    ("support", "Support at work"),
    ("outside_work", "Life outside work"),
]
FACTOR_CHOICES = [
    ("better", "Better than usual"),
    ("usual", "About as usual"),
    ("worse", "Worse than usual"),
]
FACTOR_LABELS = dict(FACTORS)
FACTOR_CHOICE_LABELS = dict(FACTOR_CHOICES)

# What a factor that is "worse than usual" suggests from the library.
FACTOR_TOPICS = {"sleep": ["sleep"], "workload": ["stress"], "support": ["stress"], "outside_work": ["carers", "money"]}


@dataclass(frozen=True)
class PlanQuestion:
    key: str
    heading: str
    question: str
    hint: str


PLAN_QUESTIONS = [
    PlanQuestion(
        "keeps_well",
        "What keeps me well",
        "What keeps you well?",
        "At work and outside it: a proper break on shift, time with family, a walk, sleep, your faith, a hobby.",
    ),
    PlanQuestion(
        "gets_in_way",
        "What gets in the way",
        "What gets in the way of staying well?",
        "For example night shifts, caring at home, long journeys, money worries, a difficult team.",
    ),
    PlanQuestion(
        "early_signs",
        "Early signs I am struggling",
        "What are the early signs that you are struggling?",
        "What you notice first, or what people who know you notice: sleeping badly, snapping, skipping meals.",
    ),
    PlanQuestion(
        "what_helps",
        "What helps when I am struggling",
        "What helps when you are struggling?",
        "Things you can do, and things other people can do for you.",
    ),
    PlanQuestion(
        "from_manager",
        "What I would like from my manager",
        "What would you like from your manager?",
        "For example a regular check-in, flexibility over shifts, a quiet word rather than an email.",
    ),
    PlanQuestion(
        "i_will",
        "What I will do",
        "What will you do to look after yourself?",
        "A few small, realistic steps.",
    ),
]
PLAN_SECTIONS = [(q.key, q.heading) for q in PLAN_QUESTIONS]

# Topics (library topic slugs) a person can say their plan touches on.
PLAN_TOPICS = [
    ("sleep", "Sleep and tiredness"),
    ("stress", "Stress and pressure at work"),
    ("low-mood", "Low mood"),
    ("carers", "Caring for someone"),
    ("menopause", "Menopause"),
    ("physical-health", "Physical health, pain or a long-term condition"),
    ("money", "Money worries"),
]
PLAN_TOPIC_LABELS = dict(PLAN_TOPICS)

# "Right now, which is closest?": the last choice is the person telling us they need help now.
RIGHT_NOW_CHOICES = [
    ("ok", "I am mostly OK day to day"),
    ("hard", "I am finding things hard"),
    ("need_help_now", "I do not feel safe, or I need help now"),
]
RIGHT_NOW_CRISIS = "need_help_now"

CONVERSATION_SECTIONS = [
    ("summary", "What we talked about"),
    ("notes", "My own notes"),
    ("my_actions", "What I will do"),
    ("their_actions", "What they will do"),
]
