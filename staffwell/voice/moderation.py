"""A simple, documented check run on every post before it shows (docs/staff-voice.md).

It is deliberately cautious: a post it flags is not rejected, only held until both sides
have looked at it. It never decides alone that a post is fine: anyone can also choose
"hold for review".
"""

import re

from staffwell.organisations.models import Membership

NAMES = "names"
HEALTH = "health"
ABUSE = "abuse"
ROUTE = "route"
CHOSEN = "chosen"

REASONS = {
    NAMES: "It may name or point at a particular person. This board is for ideas and issues, never for "
    "reporting a colleague.",
    HEALTH: "It may contain personal health details, yours or someone else's.",
    ABUSE: "It may contain abusive or offensive words.",
    ROUTE: "It may be a concern about patient safety, bullying, harassment or discrimination, which has its "
    "own confidential routes (see below).",
    CHOSEN: "You asked for it to be checked before it shows.",
}

TITLES = re.compile(r"\b(?:dr|mr|mrs|ms|miss|sister|matron|nurse|doctor|consultant)\.?\s+[A-Z][a-z'-]+", re.I)
HEALTH_WORDS = re.compile(
    r"\b(?:diagnos\w*|cancer|hiv|pregnan\w*|miscarr\w*|depress\w*|anxiety|bipolar|schizo\w*|"
    r"diabet\w*|epilep\w*|sick note|fit note|medication|chemo\w*|disabilit\w*|mental health condition|"
    r"my condition|his condition|her condition|their condition|surgery|operation on my)\b",
    re.I,
)
ABUSE_WORDS = re.compile(
    r"\b(?:idiot\w*|stupid|useless|moron\w*|scum|bastard\w*|bitch\w*|f+u+c+k\w*|shit\w*|crap|"
    r"twat\w*|wanker\w*|incompetent)\b",
    re.I,
)
ROUTE_WORDS = re.compile(
    r"\b(?:patient safety|unsafe|bully\w*|harass\w*|discriminat\w*|racis\w*|sexis\w*|whistle\W?blow\w*|"
    r"speak up|speaking up|grievance|fraud|assault\w*|neglect\w*|abuse of)\b",
    re.I,
)


def member_names(org) -> list[str]:
    names = Membership.objects.for_org(org).active().values_list("full_name", flat=True)
    return [n for n in {n.strip() for n in names} if len(n) >= 5 and " " in n]


def check(*, org, text: str, chosen: bool = False, names: list[str] | None = None) -> list[str]:
    """The reasons (keys of ``REASONS``) to hold ``text`` for review; empty if none."""
    reasons = []
    lowered = text.lower()
    names = member_names(org) if names is None else names
    if TITLES.search(text) or any(re.search(rf"\b{re.escape(n.lower())}\b", lowered) for n in names):
        reasons.append(NAMES)
    if HEALTH_WORDS.search(text):
        reasons.append(HEALTH)
    if ABUSE_WORDS.search(text):
        reasons.append(ABUSE)
    if ROUTE_WORDS.search(text):
        reasons.append(ROUTE)
    if chosen:
        reasons.append(CHOSEN)
    return reasons
