"""Grant labels and the audit log's "what" name the kind, date and section only (session 5).

A conversation's label used to name the other person ("Wellbeing conversation with Dr Jekyll
on 20 November 2026"), a name promised encrypted when they are not on staffwell; the label was
copied into the audit events of the grant (``records.grant.created``, ``.withdrawn``,
``.lapsed``: "what") and of each read (``records.<kind>.viewed``: "sections"). This rewrites
every stored copy to the generic form ("Wellbeing conversation on 20 November 2026"). The
helper is written here, on strings alone, so that it does not change with the app's code.
No other kind's label ever held content (check-ins, plans, passports and requests for support
were always named by kind, date and section heading).
"""

import re

from django.db import migrations

CONVERSATION = "Wellbeing conversation"
# The conversation's section headings as they were when these labels were written.
CONVERSATION_HEADINGS = {
    "summary": "What we talked about",
    "notes": "My own notes",
    "my_actions": "What I will do",
    "their_actions": "What they will do",
}
WHEN = re.compile(r"(?:, booked for| on) \d{1,2} [A-Z][a-z]+ \d{4}$")


def generic(label, section=""):
    """The label without the other person's name: kind, date (if it can still be read) and
    section heading. Anything that is not a named conversation's label is left as it is."""
    if not isinstance(label, str) or not label.startswith(CONVERSATION + " with"):
        return label
    title, heading = label, CONVERSATION_HEADINGS.get(section, "")
    if heading and title.endswith(": " + heading):
        title = title[: -len(heading) - 2]
    else:
        for candidate in CONVERSATION_HEADINGS.values():
            if title.endswith(": " + candidate):
                title, heading = title[: -len(candidate) - 2], candidate
                break
    when = WHEN.search(title)  # absent if the label was cut at 200 characters
    out = CONVERSATION + (when.group(0) if when else "")
    return f"{out}: {heading}" if heading else out


def scrub(apps, schema_editor):
    Grant = apps.get_model("records", "Grant")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for grant in Grant.objects.filter(label__startswith=CONVERSATION + " with").iterator():
        Grant.objects.filter(pk=grant.pk).update(label=generic(grant.label, grant.section)[:200])
    for event in AuditEvent.objects.filter(action__startswith="records.").iterator():
        data = event.data if isinstance(event.data, dict) else {}
        changed = dict(data)
        if "what" in data:
            changed["what"] = generic(data["what"])
        if isinstance(data.get("sections"), list):
            changed["sections"] = [generic(s) for s in data["sections"]]
        if changed != data:
            AuditEvent.objects.filter(pk=event.pk).update(data=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("records", "0001_initial"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False)]
