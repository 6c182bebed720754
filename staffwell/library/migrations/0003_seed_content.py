"""Content every installation starts with: the resources, case studies and podcast episode
named on the Social Partnership Forum's health and wellbeing page, the topic and audience
lists, and the urgent-support contacts.

Summaries are written in our own words. Web addresses were set without network access;
the link checker (`manage.py check_links`) reports any that have moved since.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

TOPICS = [
    ("mental-health", "Mental health"),
    ("stress", "Stress and resilience"),
    ("low-mood", "Low mood and anxiety"),
    ("sleep", "Sleep and mindfulness"),
    ("carers", "Carers"),
    ("reasonable-adjustments", "Disability and reasonable adjustments"),
    ("menopause", "Menopause"),
    ("suicide-prevention", "Suicide prevention"),
    ("physical-health", "Physical health"),
    ("money", "Money worries"),
    ("patient-safety", "After a patient safety incident"),
    ("culture-leadership", "Culture and leadership"),
    ("arts-health", "Arts and health"),
    ("partnership", "Partnership working"),
]

AUDIENCES = [
    ("all-staff", "All staff"),
    ("doctors", "Doctors and medical students"),
    ("ambulance", "Ambulance staff"),
    ("bame", "Black, Asian and minority ethnic staff"),
    ("carers", "Carers"),
    ("disabled", "Disabled staff"),
    ("managers", "Line managers"),
    ("organisations", "Organisations"),
]

RESOURCES = [
    {
        "slug": "headspace",
        "title": "Headspace",
        "provider": "Headspace",
        "url": "https://www.headspace.com/nhs",
        "kind": "app",
        "summary": "A mindfulness and meditation app with short guided exercises for stress, "
        "resilience and sleep. You can use it on a phone between shifts or before bed.",
        "topics": ["mental-health", "stress", "sleep"],
        "audiences": ["all-staff"],
        "offer": "Free access for NHS staff with an NHS email address",
        "offer_ends": dt.date(2021, 12, 31),
    },
    {
        "slug": "working-carers-passport",
        "title": "Working Carer's Passport",
        "provider": "NHS England",
        "url": "https://www.england.nhs.uk/supporting-our-nhs-people/support-now/carers-passport/",
        "kind": "toolkit",
        "summary": "A way to start a conversation with your manager about caring for someone outside "
        "work, and to record what would help. It links to practical tools and further support, "
        "and helps managers who support working carers.",
        "topics": ["carers"],
        "audiences": ["carers", "managers"],
    },
    {
        "slug": "liberate",
        "title": "Liberate",
        "provider": "Liberate Meditation",
        "url": "https://liberatemeditation.com/",
        "kind": "app",
        "summary": "A meditation app made by and for Black, Asian and minority ethnic people, with "
        "culturally aware meditations and talks. It has been offered free to NHS staff.",
        "topics": ["mental-health", "stress", "sleep"],
        "audiences": ["bame", "all-staff"],
    },
    {
        "slug": "second-victim-support",
        "title": "Second Victim Support",
        "provider": "Second Victim Support",
        "url": "https://secondvictim.co.uk/",
        "kind": "guide",
        "summary": "Help for clinicians who have been involved in a patient safety incident, for the "
        "colleagues around them, and for the organisations they work for. Being part of an "
        "incident can affect your own wellbeing; this explains what helps.",
        "topics": ["patient-safety", "mental-health", "stress"],
        "audiences": ["all-staff", "doctors", "managers", "organisations"],
    },
    {
        "slug": "gmc-caring-for-doctors-caring-for-patients",
        "title": "Caring for doctors, Caring for patients",
        "provider": "General Medical Council",
        "url": "https://www.gmc-uk.org/about/how-we-work/corporate-strategy-plans-and-reports/"
        "independent-reviews/caring-for-doctors-caring-for-patients",
        "kind": "report",
        "summary": "An independent review of the wellbeing of doctors and medical students across the "
        "UK, with recommendations for safer, more supportive and more inclusive places to work "
        "and learn, and for compassionate cultures.",
        "topics": ["mental-health", "culture-leadership"],
        "audiences": ["doctors", "organisations"],
    },
    {
        "slug": "nhs-employers-reasonable-adjustments",
        "title": "Reasonable adjustments in the workplace",
        "provider": "NHS Employers",
        "url": "https://www.nhsemployers.org/articles/reasonable-adjustments-workplace",
        "kind": "guide",
        "summary": "How employers can support disabled staff by thinking carefully about each "
        "person's needs when making reasonable adjustments, written in the light of the "
        "Workforce Disability Equality Standard (WDES).",
        "topics": ["reasonable-adjustments"],
        "audiences": ["disabled", "managers", "organisations"],
    },
    {
        "slug": "bma-mental-wellbeing-charter",
        "title": "Mental wellbeing charter",
        "provider": "British Medical Association",
        "url": "https://www.bma.org.uk/advice-and-support/your-wellbeing/mental-wellbeing-charter",
        "kind": "charter",
        "summary": "A charter for the mental wellbeing of doctors and medical students. It sets out "
        "what employers can do: build a supportive culture, write a wellbeing strategy, make "
        "the workplace healthier and challenge the stigma around mental ill health.",
        "topics": ["mental-health", "culture-leadership"],
        "audiences": ["doctors", "organisations"],
    },
    {
        "slug": "mind-mental-health-at-work",
        "title": "Mental health at work resources",
        "provider": "Mind",
        "url": "https://www.mind.org.uk/workplace/",
        "kind": "guide",
        "summary": "The mental health charity's guides for looking after yourself at work and for "
        "supporting a colleague who is struggling with their mental health.",
        "topics": ["mental-health", "stress", "low-mood"],
        "audiences": ["all-staff", "managers"],
    },
    {
        "slug": "nhs-employers-menopause",
        "title": "Menopause and the workplace",
        "provider": "NHS Employers",
        "url": "https://www.nhsemployers.org/articles/menopause-and-workplace",
        "kind": "guide",
        "summary": "Support for staff going through the menopause at work, and guidance for "
        "managers on what helps and on tackling the stigma around it.",
        "topics": ["menopause", "physical-health"],
        "audiences": ["all-staff", "managers"],
    },
    {
        "slug": "dhsc-talk-health-and-care",
        "title": "Talk Health and Care",
        "provider": "Department of Health and Social Care",
        "url": "https://talkhealthandcare.dhsc.gov.uk/",
        "kind": "community",
        "summary": "An online community run by the Department of Health and Social Care where "
        "people can share ideas and suggestions and have them heard. Check the site for who "
        "can join.",
        "topics": ["partnership"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "mind-plan",
        "title": "Your Mind Plan",
        "provider": "Public Health England (now Every Mind Matters, NHS)",
        "url": "https://www.nhs.uk/every-mind-matters/mental-wellbeing-tips/your-mind-plan-quiz/",
        "kind": "toolkit",
        "summary": "A free online tool: answer five quick questions and get a short plan of things "
        "you can do to look after your mental health.",
        "topics": ["mental-health", "low-mood", "stress", "sleep"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "zero-suicide-alliance-training",
        "title": "Suicide prevention training",
        "provider": "Zero Suicide Alliance",
        "url": "https://www.zerosuicidealliance.com/training",
        "kind": "training",
        "summary": "Free online training, open to anyone, that helps you spot when someone may be "
        "thinking about suicide and have a conversation that could save their life. The "
        "alliance brings together NHS trusts, businesses and individuals.",
        "topics": ["suicide-prevention", "mental-health"],
        "audiences": ["all-staff", "managers"],
    },
    {
        "slug": "nhs-health-and-wellbeing-framework",
        "title": "NHS Health and Wellbeing Framework",
        "provider": "NHS England",
        "url": "https://www.england.nhs.uk/supporting-our-nhs-people/health-and-wellbeing-programmes/"
        "health-and-wellbeing-framework/",
        "kind": "toolkit",
        "summary": "The framework and diagnostic that help NHS organisations plan and improve what "
        "they offer staff for their health and wellbeing. The Social Partnership Forum asks "
        "employers to use it, and act on the results, together with trade unions.",
        "topics": ["culture-leadership", "partnership"],
        "audiences": ["organisations", "managers"],
    },
    {
        "slug": "nhs-employers-health-work-and-wellbeing",
        "title": "Health, work and wellbeing",
        "provider": "NHS Employers",
        "url": "https://www.nhsemployers.org/topics/health-safety-and-wellbeing",
        "kind": "guide",
        "summary": "Information for employers on engaging the board, managing sickness absence, "
        "supporting staff with mental health problems, and the evidence for why staff "
        "wellbeing matters.",
        "topics": ["culture-leadership", "mental-health", "physical-health"],
        "audiences": ["organisations", "managers"],
    },
    {
        "slug": "how-are-you-feeling-today-toolkit",
        "title": "How are you feeling today? Emotional wellbeing toolkit",
        "provider": "NHS Employers",
        "url": "https://www.nhsemployers.org/publications/how-are-you-feeling-nhs-toolkit",
        "kind": "toolkit",
        "summary": "A toolkit for starting conversations about how people are feeling at work, "
        "with activities for teams and managers.",
        "topics": ["mental-health", "stress", "low-mood"],
        "audiences": ["managers", "all-staff"],
    },
    {
        "slug": "culture-and-leadership-programme",
        "title": "Culture and leadership programme",
        "provider": "NHS Improvement (now NHS England)",
        "url": "https://www.england.nhs.uk/culture/culture-leadership-programme/",
        "kind": "toolkit",
        "summary": "Tools for NHS organisations to understand their culture and develop "
        "compassionate, inclusive leadership.",
        "topics": ["culture-leadership"],
        "audiences": ["organisations", "managers"],
    },
    {
        "slug": "bma-supporting-health-and-wellbeing-report",
        "title": "Supporting health and wellbeing at work",
        "provider": "British Medical Association",
        "url": "https://www.bma.org.uk/advice-and-support/your-wellbeing",
        "kind": "report",
        "summary": "A report from October 2018 with recommendations for improving the health and "
        "wellbeing of doctors.",
        "topics": ["mental-health", "culture-leadership"],
        "audiences": ["doctors", "organisations"],
    },
    {
        "slug": "welsh-nhs-confederation-arts-and-health",
        "title": "Arts, health and wellbeing",
        "provider": "Welsh NHS Confederation",
        "url": "https://www.nhsconfed.org/publications/arts-health-and-wellbeing",
        "kind": "report",
        "summary": "How taking part in the arts supports better health, with examples from Wales.",
        "topics": ["arts-health", "mental-health"],
        "audiences": ["all-staff", "organisations"],
    },
    {
        "slug": "head-first",
        "title": "Head First",
        "provider": "Association of Ambulance Chief Executives and partners",
        "url": "https://aace.org.uk/",
        "kind": "toolkit",
        "summary": "A mental wellness resource made in partnership for the ambulance service. "
        "Much of it is useful in other parts of the NHS too.",
        "topics": ["mental-health", "stress"],
        "audiences": ["ambulance", "all-staff"],
    },
    {
        "slug": "mental-health-at-work",
        "title": "Mental Health at Work",
        "provider": "Mind, with The Royal Foundation",
        "url": "https://www.mentalhealthatwork.org.uk/",
        "kind": "toolkit",
        "summary": "A large collection of guides, tips, videos, courses, podcasts and templates on "
        "mental health and work, gathered from organisations across the UK.",
        "topics": ["mental-health", "stress", "low-mood"],
        "audiences": ["all-staff", "managers", "organisations"],
    },
]

CASE_STUDIES = [
    {
        "slug": "mersey-care-just-and-learning-culture",
        "title": "Implementing a just and learning culture",
        "organisation_name": "Mersey Care NHS Foundation Trust",
        "partners": "Staff-side trade unions",
        "theme": "Just and learning culture",
        "what_they_did": "The trust changed how it responds when things go wrong: instead of asking "
        "who is to blame, it asks what happened, who has been hurt and what they need, and what "
        "everyone can learn. Staff and their union representatives were part of the change.",
        "what_changed": "Fewer colleagues went through formal processes after incidents, and staff "
        "felt safer to speak up. The full case study has the trust's own figures.",
        "framework_elements": [2, 4, 7],
        "topics": ["culture-leadership", "patient-safety", "partnership"],
        "url": "https://www.socialpartnershipforum.org/case-studies/implementing-just-and-learning-culture",
    },
    {
        "slug": "manchester-rcm-collaborative-approach",
        "title": "Collaborative approach to improve staff health and wellbeing",
        "organisation_name": "Manchester University NHS Foundation Trust",
        "partners": "Royal College of Midwives",
        "theme": "Partnership on staff wellbeing",
        "what_they_did": "The trust and the Royal College of Midwives worked together on the health "
        "and wellbeing of midwives and maternity staff, agreeing priorities jointly rather than "
        "one side deciding for the other.",
        "what_changed": "Wellbeing support was shaped by the people it was for, and the partnership "
        "between the trust and the union grew stronger. Read the full case study for details.",
        "framework_elements": [1, 2, 7],
        "topics": ["partnership", "mental-health"],
        "url": "https://www.socialpartnershipforum.org/case-studies/collaborative-approach-improve-staff-health-and-wellbeing",
    },
    {
        "slug": "dchs-reasonable-adjustment-passport",
        "title": "Reasonable adjustment passport",
        "organisation_name": "Derbyshire Community Health Services NHS Foundation Trust",
        "partners": "Staff-side trade unions",
        "theme": "Reasonable adjustments",
        "what_they_did": "The trust introduced a passport that records the reasonable adjustments a "
        "member of staff has agreed with their manager, so they do not have to explain and "
        "negotiate them again when they change role or manager.",
        "what_changed": "Conversations about adjustments became easier and agreed support travelled "
        "with the person. The full case study describes how it was set up.",
        "framework_elements": [3, 4, 7],
        "topics": ["reasonable-adjustments", "partnership"],
        "url": "https://www.socialpartnershipforum.org/case-studies/reasonable-adjustment-passport",
    },
    {
        "slug": "north-staffordshire-feel-good-friday",
        "title": "Feel good Friday",
        "organisation_name": "North Staffordshire Combined Healthcare NHS Trust",
        "partners": "Staff-side trade unions",
        "theme": "Everyday wellbeing",
        "what_they_did": "The trust set aside Fridays for small, regular wellbeing activities that "
        "staff could join in with at work.",
        "what_changed": "Looking after wellbeing became a visible, regular part of the working week. "
        "The full case study gives the trust's account.",
        "framework_elements": [1, 2, 3],
        "topics": ["mental-health", "physical-health"],
        "url": "https://www.socialpartnershipforum.org/case-studies/feel-good-friday",
    },
    {
        "slug": "st-georges-health-and-wellbeing-strategy",
        "title": "Health and wellbeing strategy for staff",
        "organisation_name": "St George's University Hospitals NHS Foundation Trust",
        "partners": "Staff-side trade unions",
        "theme": "Wellbeing strategy",
        "what_they_did": "The trust wrote a health and wellbeing strategy for its staff, setting "
        "out what it would offer, who is responsible and how it would know whether it was working.",
        "what_changed": "Wellbeing work had a plan, leadership and measures behind it rather than "
        "a list of separate initiatives. The full case study describes the strategy.",
        "framework_elements": [4, 6, 7],
        "topics": ["culture-leadership", "partnership"],
        "url": "https://www.socialpartnershipforum.org/case-studies/health-and-wellbeing-strategy-staff",
    },
]

EPISODE = {
    "slug": "hswpg-partnership-working",
    "title": "What good partnership working looks like: the HSWPG chairs",
    "speakers": "James Tracey and Kim Sunley, chairs of the HSWPG",
    "summary": "The chairs of the NHS Staff Council's Health, Safety and Wellbeing Partnership Group "
    "(HSWPG) talk about what successful partnership working between employers and trade unions "
    "looks like, why it matters and what it brings. They describe the group's role and the "
    "resources it has produced for NHS managers, including guidance on preventing and managing "
    "sickness absence, stress and back pain, and the workplace health and safety standards.",
    "transcript": "**Placeholder transcript.** The recording of this conversation has not been added "
    "to staffwell yet, so there is no transcript of it here. The audio on this page is a short "
    "placeholder that says so: it is not the real episode.\n\n"
    "When an editor adds the recording, they will replace this text with a full transcript of "
    "the conversation between James Tracey and Kim Sunley.\n\n"
    "What the placeholder audio says: \"This is a placeholder, not the real recording. This "
    "episode is the conversation with the chairs of the NHS Staff Council's Health, Safety and "
    "Wellbeing Partnership Group, about what good partnership working looks like. The "
    "recording has not been added to staffwell yet. An editor will replace this file with the "
    "real recording. Until then, please read about the episode, and its transcript, on this page.\"",
    "bundled_audio": "hswpg-placeholder.mp3",
    "audio_type": "audio/mpeg",
    "audio_bytes": 160349,
    "duration_seconds": 27,
    "is_placeholder_audio": True,
    "source_url": "https://www.socialpartnershipforum.org/health-and-wellbeing",
}

URGENT = [
    ("Emergency services", "999", "call", "", "If you or someone else is in danger or their life is at risk.", 10),
    (
        "NHS 111, option 2",
        "111",
        "call",
        "",
        "Urgent mental health help in England, any time of day or night: call 111 and choose option 2.",
        20,
    ),
    ("Samaritans", "116 123", "call", "", "Free, any time, to talk about anything that is troubling you.", 30),
    ("Shout", "85258", "text", "SHOUT", "Text SHOUT to 85258 for free, confidential support by text, 24/7.", 40),
]


def words(*parts):
    # The same normalisation as staffwell.library.search.words (frozen here for the migration).
    import re
    import unicodedata

    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def seed(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    Audience = apps.get_model("library", "Audience")
    Resource = apps.get_model("library", "Resource")
    CaseStudy = apps.get_model("library", "CaseStudy")
    Episode = apps.get_model("library", "Episode")
    UrgentContact = apps.get_model("library", "UrgentContact")
    today = timezone.localdate()
    now = timezone.now()
    kinds = {
        "app": "App",
        "guide": "Guide",
        "training": "Training",
        "report": "Report",
        "toolkit": "Toolkit",
        "charter": "Charter",
        "community": "Community",
    }

    topics = {}
    for order, (slug, name) in enumerate(TOPICS):
        topics[slug], _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})
    audiences = {}
    for order, (slug, name) in enumerate(AUDIENCES):
        audiences[slug], _ = Audience.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})

    for data in RESOURCES:
        data = dict(data)
        topic_slugs, audience_slugs = data.pop("topics"), data.pop("audiences")
        if Resource.objects.filter(slug=data["slug"]).exists():
            continue
        resource = Resource.objects.create(status="published", published_at=now, last_reviewed=today, **data)
        resource.topics.set([topics[s] for s in topic_slugs])
        resource.audiences.set([audiences[s] for s in audience_slugs])
        resource.search_text = words(
            resource.title,
            resource.provider,
            resource.summary,
            " ".join(topics[s].name for s in topic_slugs),
            " ".join(audiences[s].name for s in audience_slugs),
            kinds[resource.kind],
        )
        resource.save(update_fields=["search_text"])

    for data in CASE_STUDIES:
        data = dict(data)
        topic_slugs = data.pop("topics")
        if CaseStudy.objects.filter(slug=data["slug"]).exists():
            continue
        case_study = CaseStudy.objects.create(status="published", published_at=now, last_reviewed=today, **data)
        case_study.topics.set([topics[s] for s in topic_slugs])

    if not Episode.objects.filter(slug=EPISODE["slug"]).exists():
        Episode.objects.create(status="published", published_at=now, last_reviewed=today, **EPISODE)

    for name, number, action, text_message, when, order in URGENT:
        UrgentContact.objects.get_or_create(
            name=name,
            defaults={
                "number": number,
                "action": action,
                "text_message": text_message,
                "when": when,
                "order": order,
                "last_checked": today,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
