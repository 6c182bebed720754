"""More resources for the topics that had one or none (sleep, money, carers, menopause,
suicide prevention, low mood, physical health, reasonable adjustments), each linking to a
reputable source, summarised in our own words; then every resource and case study is indexed
again with its words' stems (Snowball, see staffwell.library.search), so "midwife" finds
"midwives"."""

from django.db import migrations
from django.utils import timezone

NEW_RESOURCES = [
    {
        "slug": "nhs-insomnia",
        "title": "Insomnia: what helps",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/conditions/insomnia/",
        "kind": "guide",
        "summary": "What counts as insomnia, the habits that usually help you fall asleep and stay "
        "asleep, and when it is worth seeing a GP. Useful if worry or shift patterns keep you awake.",
        "topics": ["sleep"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "every-mind-matters-sleep",
        "title": "Every Mind Matters: sleep",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/every-mind-matters/mental-wellbeing-tips/how-to-fall-asleep-faster-and-sleep-better/",
        "kind": "guide",
        "summary": "Short, practical steps for sleeping better: a wind-down routine, light and "
        "screens, caffeine, and getting back to sleep when your mind will not switch off.",
        "topics": ["sleep", "mental-health"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "hswpg-shift-work-and-fatigue",
        "title": "Working shifts and nights safely",
        "provider": "NHS Staff Council Health, Safety and Wellbeing Partnership Group",
        "url": "https://www.nhsemployers.org/topics/health-safety-and-wellbeing",
        "kind": "guide",
        "summary": "Guidance agreed by employers and trade unions through the NHS Staff Council on "
        "planning rotas, rest breaks and recovery after night shifts, and on spotting fatigue "
        "before it harms staff or patients.",
        "topics": ["sleep", "stress", "partnership"],
        "audiences": ["all-staff", "managers", "organisations"],
    },
    {
        "slug": "hswpg-stress-at-work",
        "title": "Preventing and managing stress at work",
        "provider": "NHS Staff Council Health, Safety and Wellbeing Partnership Group",
        "url": "https://www.nhsemployers.org/topics/health-safety-and-wellbeing",
        "kind": "guide",
        "summary": "The partnership group's guidance for managers and staff-side representatives on "
        "finding the causes of work-related stress (workload, control, support, relationships, "
        "role and change) and tackling them together.",
        "topics": ["stress", "partnership", "culture-leadership"],
        "audiences": ["managers", "organisations"],
    },
    {
        "slug": "hswpg-back-pain",
        "title": "Back pain at work: prevention and return",
        "provider": "NHS Staff Council Health, Safety and Wellbeing Partnership Group",
        "url": "https://www.nhsemployers.org/topics/health-safety-and-wellbeing",
        "kind": "guide",
        "summary": "How employers and staff can reduce back injuries from moving and handling, and "
        "how a phased, supported return helps someone back to work after back pain.",
        "topics": ["physical-health", "partnership"],
        "audiences": ["all-staff", "managers"],
    },
    {
        "slug": "nhs-menopause",
        "title": "Menopause: symptoms and treatment",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/conditions/menopause/",
        "kind": "guide",
        "summary": "Perimenopause and menopause explained: hot flushes, night sweats, sleep, mood "
        "and memory changes, the treatments available including HRT, and when to talk to a GP.",
        "topics": ["menopause", "physical-health"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "nhs-money-worries",
        "title": "Coping with money worries",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/mental-health/advice-for-life-situations-and-events/how-to-cope-with-financial-worries/",
        "kind": "guide",
        "summary": "Money problems and mental health often feed each other. Steps to take when bills "
        "or debt are getting on top of you, and where to find free, confidential advice.",
        "topics": ["money", "mental-health", "stress"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "moneyhelper",
        "title": "MoneyHelper",
        "provider": "Money and Pensions Service",
        "url": "https://www.moneyhelper.org.uk/en",
        "kind": "guide",
        "summary": "Free, impartial help from a government-backed service: budgeting, dealing with "
        "debt, benefits you may be able to claim and a free debt advice locator.",
        "topics": ["money"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "nhs-support-for-carers",
        "title": "Support and benefits for carers",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/conditions/social-care-and-support-guide/support-and-benefits-for-carers/",
        "kind": "guide",
        "summary": "If you look after someone, you can ask your council for a carer's assessment and "
        "may be entitled to breaks and benefits. What is available and how to ask for it.",
        "topics": ["carers", "money"],
        "audiences": ["carers", "all-staff"],
    },
    {
        "slug": "nhs-help-for-suicidal-thoughts",
        "title": "Help for suicidal thoughts",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/mental-health/feelings-symptoms-behaviours/behaviours/help-for-suicidal-thoughts/",
        "kind": "guide",
        "summary": "Where to get help straight away if you are having thoughts of ending your life, "
        "and how to support someone else who is. If you are in danger now, call 999.",
        "topics": ["suicide-prevention", "mental-health"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "nhs-talking-therapies",
        "title": "NHS Talking Therapies",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/mental-health/talking-therapies-medicine-treatments/talking-therapies-and-counselling/nhs-talking-therapies/",
        "kind": "guide",
        "summary": "Free talking therapy for anxiety and depression. You can refer yourself without "
        "seeing a GP; this explains how, and what the sessions are like.",
        "topics": ["low-mood", "mental-health", "stress"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "nhs-low-mood-and-depression",
        "title": "Low mood, sadness and depression",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/mental-health/feelings-symptoms-behaviours/feelings-and-symptoms/low-mood-sadness-depression/",
        "kind": "guide",
        "summary": "The difference between a low patch and depression, things you can try yourself, "
        "and when to get help.",
        "topics": ["low-mood", "mental-health"],
        "audiences": ["all-staff"],
    },
    {
        "slug": "access-to-work",
        "title": "Access to Work",
        "provider": "GOV.UK",
        "url": "https://www.gov.uk/access-to-work",
        "kind": "guide",
        "summary": "Government grants and support for disabled people and people with a health "
        "condition at work, beyond the reasonable adjustments your employer makes: equipment, "
        "travel, support workers and mental health support.",
        "topics": ["reasonable-adjustments"],
        "audiences": ["disabled", "managers"],
    },
    {
        "slug": "nhs-back-pain",
        "title": "Back pain",
        "provider": "NHS website",
        "url": "https://www.nhs.uk/conditions/back-pain/",
        "kind": "guide",
        "summary": "Most back pain gets better within weeks. What helps in the meantime, exercises "
        "to try, and the signs that mean you should get help quickly.",
        "topics": ["physical-health"],
        "audiences": ["all-staff"],
    },
]


def add_resources(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    Audience = apps.get_model("library", "Audience")
    Resource = apps.get_model("library", "Resource")
    topics = {t.slug: t for t in Topic.objects.all()}
    audiences = {a.slug: a for a in Audience.objects.all()}
    if not topics:  # an installation without the shipped topics: nothing to add to
        return
    today, now = timezone.localdate(), timezone.now()
    for data in NEW_RESOURCES:
        data = dict(data)
        topic_slugs, audience_slugs = data.pop("topics"), data.pop("audiences")
        if Resource.objects.filter(slug=data["slug"]).exists():
            continue
        resource = Resource.objects.create(status="published", published_at=now, last_reviewed=today, **data)
        resource.topics.set([topics[s] for s in topic_slugs if s in topics])
        resource.audiences.set([audiences[s] for s in audience_slugs if s in audiences])


def reindex(apps, schema_editor):
    """Index every resource and case study with today's tokeniser and stemmer."""
    from staffwell.library import search
    from staffwell.library.models import CaseStudy as LiveCaseStudy
    from staffwell.library.models import Resource as LiveResource

    kinds = dict(LiveResource.Kind.choices)
    elements = dict(LiveCaseStudy.Element.choices)
    for r in apps.get_model("library", "Resource").objects.prefetch_related("topics", "audiences"):
        body = " ".join([r.summary, " ".join(a.name for a in r.audiences.all()), kinds.get(r.kind, "")])
        r.search_text = search.index_text(r.title, r.provider, body, " ".join(t.name for t in r.topics.all()))
        r.save(update_fields=["search_text"])
    for c in apps.get_model("library", "CaseStudy").objects.prefetch_related("topics"):
        labels = [f"{n}. {elements[n]}" for n in sorted(c.framework_elements or []) if n in elements]
        c.search_text = search.index_text(
            c.title,
            " ".join([c.organisation_name, c.partners]),
            " ".join([c.what_they_did, c.what_changed, *labels]),
            " ".join([c.theme, *(t.name for t in c.topics.all())]),
        )
        c.save(update_fields=["search_text"])


def load(apps, schema_editor):
    add_resources(apps, schema_editor)
    reindex(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0005_episode_duration_source")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
