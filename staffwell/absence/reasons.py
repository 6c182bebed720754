"""ESR sickness absence reasons (S10 to S99) and the groups the HSWG guidance uses."""

REASONS = {
    "S10": "Anxiety/stress/depression/other psychiatric illnesses",
    "S11": "Back problems",
    "S12": "Other musculoskeletal problems",
    "S13": "Cold, cough, flu - influenza",
    "S14": "Asthma",
    "S15": "Chest and respiratory problems",
    "S16": "Headache/migraine",
    "S17": "Benign and malignant tumours, cancers",
    "S18": "Blood disorders",
    "S19": "Heart, cardiac and circulatory problems",
    "S20": "Burns, poisoning, frostbite, hypothermia",
    "S21": "Ear, nose, throat (ENT)",
    "S22": "Dental and oral problems",
    "S23": "Eye problems",
    "S24": "Endocrine/glandular problems",
    "S25": "Gastrointestinal problems",
    "S26": "Genitourinary and gynaecological disorders",
    "S27": "Infectious diseases",
    "S28": "Injury, fracture",
    "S29": "Nervous system disorders",
    "S30": "Pregnancy related disorders",
    "S31": "Skin disorders",
    "S32": "Substance abuse",
    "S98": "Other known causes - not elsewhere classified",
    "S99": "Unknown causes/not specified",
}

# Reason groups shown as pages. "all" is every reason; "stress" and "msk" are grouped as
# the NHS Staff Council's Health, Safety and Wellbeing Group guidance groups them.
GROUPS = {
    "all": ("All reasons", tuple(REASONS)),
    "stress": ("Stress and mental health (S10)", ("S10",)),
    "msk": ("Musculoskeletal (S11 back problems and S12 other)", ("S11", "S12")),
}
for _code, _name in REASONS.items():
    GROUPS[_code.lower()] = (f"{_code} {_name}", (_code,))

# Links only: the guidance is the Staff Council's own text.
GUIDANCE = {
    "absence": (
        "NHS Staff Council HSWG: guidance on the prevention and management of sickness absence (2023)",
        "https://www.nhsemployers.org/publications/guidance-prevention-and-management-sickness-absence",
    ),
    "stress": (
        "NHS Staff Council HSWG: guidance on prevention and management of stress at work (2022)",
        "https://www.nhsemployers.org/publications/guidance-prevention-and-management-stress-work",
    ),
    "msk": (
        "NHS Staff Council HSWG: musculoskeletal health guidance (2023)",
        "https://www.nhsemployers.org/publications/musculoskeletal-health-guidance",
    ),
}


def code_of(text: str) -> str | None:
    """'S10 Anxiety/stress/...' -> 'S10'; None when the text names no known reason."""
    head = text.strip()[:3].upper()
    return head if head in REASONS else None


def group_label(group: str) -> str:
    return GROUPS[group][0]
