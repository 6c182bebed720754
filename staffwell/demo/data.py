"""Demo data: two made-up NHS organisations in one integrated care system.

Northgate Teaching Hospitals has five directorates, about 30 teams and about 400 people,
loaded through the real staff import. Southmoor Community Health is the "other
organisation" whose staff must never see Northgate's data. One demo account per role
signs in with DEMO_PASSWORD (demo mode only).
"""

import importlib
import importlib.util
import random
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction

from staffwell.accounts.models import User
from staffwell.core.permissions import Role
from staffwell.organisations import imports, staff_side
from staffwell.organisations.models import IntegratedCareSystem, Membership, Organisation, RoleAssignment

DEMO_PASSWORD = "wellbeing-demo"  # noqa: S105 - published on purpose; demo mode only

ORG_SLUG = "northgate"
OTHER_ORG_SLUG = "southmoor"

# directorate > department > teams
STRUCTURE = {
    "Medicine": {
        "Cardiology": ["Ward 7", "Ward 8", "Cardiac Catheter Lab"],
        "Respiratory": ["Ward 10", "Respiratory Outpatients"],
        "Elderly Care": ["Ward 12", "Ward 14"],
        "Pharmacy": ["Dispensary"],
    },
    "Surgery": {
        "General Surgery": ["Ward 20", "Ward 21"],
        "Theatres": ["Main Theatres", "Day Surgery Unit"],
        "Orthopaedics": ["Ward 24"],
        "Radiology": ["Imaging"],
    },
    "Women and Children": {
        "Maternity": ["Labour Ward", "Birth Centre", "Community Midwives"],
        "Paediatrics": ["Children's Ward", "Neonatal Unit"],
    },
    "Emergency and Urgent Care": {
        "Emergency Department": ["ED Majors", "ED Minors", "Paediatric ED"],
        "Acute Medicine": ["Acute Medical Unit"],
    },
    "Corporate Services": {
        "Estates and Facilities": ["Portering", "Domestic Services", "Catering"],
        "People and Organisational Development": ["HR Advisory", "Occupational Health"],
        "Finance": ["Financial Accounts"],
        "Digital": ["Service Desk"],
    },
}

FIRST = [
    "Aisha",
    "Ali",
    "Amara",
    "Amy",
    "Andrew",
    "Anna",
    "Ben",
    "Bola",
    "Callum",
    "Chen",
    "Chloe",
    "Chris",
    "Daniel",
    "Deepa",
    "Ella",
    "Emeka",
    "Emma",
    "Fatima",
    "Finn",
    "Grace",
    "Hannah",
    "Harry",
    "Imran",
    "Isla",
    "Jack",
    "James",
    "Jasmine",
    "Joe",
    "Kofi",
    "Laura",
    "Leah",
    "Liam",
    "Lucy",
    "Maria",
    "Mark",
    "Megan",
    "Mohammed",
    "Nadia",
    "Naomi",
    "Oliver",
    "Olu",
    "Patrick",
    "Priya",
    "Rachel",
    "Rhys",
    "Ruth",
    "Sam",
    "Sarah",
    "Sean",
    "Sophie",
    "Tariq",
    "Tom",
    "Uche",
    "Wei",
    "Yusuf",
    "Zara",
]
LAST = [
    "Adams",
    "Ahmed",
    "Baker",
    "Begum",
    "Brown",
    "Campbell",
    "Chowdhury",
    "Clarke",
    "Davies",
    "Edwards",
    "Evans",
    "Green",
    "Hall",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Khan",
    "Lewis",
    "Martin",
    "Mensah",
    "Morgan",
    "Murphy",
    "Nwosu",
    "Okafor",
    "Owen",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "Ward",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]


@dataclass(frozen=True)
class DemoUser:
    key: str
    email: str
    name: str
    unit_path: str
    staff_group: str
    roles: tuple[Role, ...] = ()
    manages: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser(
        "staff",
        "nurse@northgate.example",
        "Priya Nair",
        "Medicine > Cardiology > Ward 7",
        "Nursing and Midwifery Registered",
    ),
    DemoUser(
        "manager",
        "manager@northgate.example",
        "Tom Okafor",
        "Medicine > Cardiology > Ward 7",
        "Nursing and Midwifery Registered",
        manages=("Medicine > Cardiology > Ward 7",),
    ),
    DemoUser(
        "lead",
        "lead@northgate.example",
        "Helen Morgan",
        "Corporate Services > People and Organisational Development > Occupational Health",
        "Administrative and Clerical",
        roles=(Role.EMPLOYER_LEAD,),
    ),
    DemoUser(
        "rep",
        "rep@northgate.example",
        "Dave Mensah",
        "Corporate Services > Estates and Facilities > Portering",
        "Estates and Ancillary",
        roles=(Role.STAFF_SIDE_REP,),
    ),
    DemoUser(
        "editor",
        "editor@northgate.example",
        "Kate Byrne",
        "Corporate Services > People and Organisational Development > HR Advisory",
        "Administrative and Clerical",
        roles=(Role.CONTENT_EDITOR,),
    ),
    DemoUser(
        "admin",
        "admin@northgate.example",
        "Raj Patel",
        "Corporate Services > Digital > Service Desk",
        "Administrative and Clerical",
        roles=(Role.ORG_ADMIN,),
    ),
)
OUTSIDER = DemoUser(
    "outsider",
    "outsider@southmoor.example",
    "Olivia Price",
    "Community Nursing > District Nursing North",
    "Nursing and Midwifery Registered",
)
PLATFORM_ADMIN_EMAIL = "platform@staffwell.example"

GROUPS_BY_DIRECTORATE = {
    "Corporate Services": ["Administrative and Clerical"] * 6 + ["Estates and Ancillary"] * 4,
    "Surgery": ["Nursing and Midwifery Registered"] * 5
    + ["Medical and Dental"] * 2
    + ["Additional Clinical Services"] * 2
    + ["Add Prof Scientific and Technic"],
}
DEFAULT_GROUPS = (
    ["Nursing and Midwifery Registered"] * 5
    + ["Additional Clinical Services"] * 3
    + ["Medical and Dental"]
    + ["Allied Health Professionals"]
    + ["Administrative and Clerical"]
)


def _csv_row(person_id: str, name: str, email: str, unit: str, group: str, fte: str, manages: str = "") -> list[str]:
    return [person_id, name, email, unit, group, fte, manages]


def northgate_rows(seed: int = 2026) -> list[list[str]]:
    rng = random.Random(seed)
    rows: list[list[str]] = []
    next_id = 20000001
    used_names: set[str] = set()
    for demo in DEMO_USERS:
        rows.append(
            _csv_row(str(next_id), demo.name, demo.email, demo.unit_path, demo.staff_group, "1", ";".join(demo.manages))
        )
        used_names.add(demo.name)
        next_id += 1
    managed = {path for d in DEMO_USERS for path in d.manages}
    for directorate, departments in STRUCTURE.items():
        groups = GROUPS_BY_DIRECTORATE.get(directorate, DEFAULT_GROUPS)
        for department, teams in departments.items():
            for team in teams:
                path = f"{directorate} > {department} > {team}"
                size = rng.randint(9, 17)
                for i in range(size):
                    while True:
                        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                        if name not in used_names:
                            used_names.add(name)
                            break
                    group = rng.choice(groups)
                    has_email = group != "Estates and Ancillary" or rng.random() < 0.3
                    email = f"{name.lower().replace(' ', '.')}@northgate.example" if has_email else ""
                    fte = rng.choice(["1", "1", "1", "0.8", "0.6", "0.5"])
                    manages = ""
                    if i == 0 and path not in managed:
                        manages = path
                        if team == teams[0]:
                            manages += f";{directorate} > {department}"
                    rows.append(_csv_row(str(next_id), name, email, path, group, fte, manages))
                    next_id += 1
    return rows


def _to_csv(rows: list[list[str]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(imports.COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def load(stdout=None) -> bool:
    """Load the demo organisations. Returns False if they are there already."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data can only be loaded in demo mode (STAFFWELL_DEMO_MODE).")
    if Organisation.objects.filter(slug=ORG_SLUG).exists():
        return False
    with transaction.atomic():
        ics = IntegratedCareSystem.objects.create(name="Northmoor Integrated Care System (demo)", ods_code="QZZ")
        northgate = Organisation.objects.create(
            name="Northgate Teaching Hospitals NHS Foundation Trust (demo)",
            slug=ORG_SLUG,
            ods_code="RZZ01",
            kind=Organisation.Kind.ACUTE,
            ics=ics,
        )
        southmoor = Organisation.objects.create(
            name="Southmoor Community Health NHS Trust (demo)",
            slug=OTHER_ORG_SLUG,
            ods_code="RZY01",
            kind=Organisation.Kind.COMMUNITY,
            ics=ics,
        )
        imports.apply(northgate, imports.parse(_to_csv(northgate_rows())))
        other_rows = [
            _csv_row(
                "30000001",
                OUTSIDER.name,
                OUTSIDER.email,
                OUTSIDER.unit_path,
                OUTSIDER.staff_group,
                "1",
                OUTSIDER.unit_path,
            )
        ]
        rng = random.Random(7)
        for i in range(2, 40):
            team = rng.choice(["District Nursing North", "District Nursing South", "Health Visiting", "Podiatry"])
            other_rows.append(
                _csv_row(
                    f"3000{i:04d}",
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "",
                    f"Community Nursing > {team}",
                    "Nursing and Midwifery Registered",
                    "1",
                )
            )
        imports.apply(southmoor, imports.parse(_to_csv(other_rows)))

        platform_admin = User.objects.create_user(
            PLATFORM_ADMIN_EMAIL, DEMO_PASSWORD, full_name="Pat Platform", is_platform_admin=True
        )
        for demo in DEMO_USERS:
            membership = Membership.objects.get(organisation=northgate, email=demo.email)
            for role in demo.roles:
                if role == Role.STAFF_SIDE_REP:
                    # The staff side appoints its own reps; the platform admin appoints the first.
                    staff_side.appoint(northgate, membership, actor=platform_admin, platform=True)
                else:
                    RoleAssignment.objects.create(membership=membership, role=role)
        for demo in (*DEMO_USERS, OUTSIDER):
            user = User.objects.get(email=demo.email)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        load_app_demos(org=northgate, other_org=southmoor)
    return True


def load_app_demos(*, org: Organisation, other_org: Organisation) -> None:
    """Each domain app may add demo content in ``staffwell/<app>/demo.py``: ``load(org=, other_org=)``."""
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if config.name.startswith("staffwell.") and config.label != "demo" and importlib.util.find_spec(name):
            importlib.import_module(name).load(org=org, other_org=other_org)


def sign_in_details() -> list[tuple[str, str]]:
    labels = {
        "staff": "Staff member (nurse on Ward 7)",
        "manager": "Line manager (Ward 7)",
        "lead": "Employer-side lead (wellbeing)",
        "rep": "Staff-side rep (trade union)",
        "editor": "Content editor",
        "admin": "Organisation admin",
    }
    rows = [(labels[d.key], d.email) for d in DEMO_USERS]
    rows.append(("Staff member at another organisation", OUTSIDER.email))
    rows.append(("Platform admin", PLATFORM_ADMIN_EMAIL))
    return rows
