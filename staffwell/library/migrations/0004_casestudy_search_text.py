"""Case studies become searchable like resources: a ``search_text`` column, filled for the
existing case studies, and a full-text index on it (FTS5 with triggers on SQLite, a GIN
tsvector index on PostgreSQL)."""

import re
import unicodedata

from django.db import migrations, models

from staffwell.library.search import create_case_study_index, drop_case_study_index

# Frozen here for the migration: the framework element labels and the tokeniser of search.py.
ELEMENTS = {
    1: "Improving personal health and wellbeing",
    2: "Relationships",
    3: "Fulfilment at work",
    4: "Managers and leaders",
    5: "Environment",
    6: "Data insights",
    7: "Professional wellbeing support",
}


def words(*parts):
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def fill(apps, schema_editor):
    CaseStudy = apps.get_model("library", "CaseStudy")
    for c in CaseStudy.objects.prefetch_related("topics"):
        labels = [f"{n}. {ELEMENTS[n]}" for n in sorted(c.framework_elements or []) if n in ELEMENTS]
        c.search_text = words(
            c.title,
            c.organisation_name,
            c.partners,
            c.what_they_did,
            c.what_changed,
            *labels,
            c.theme,
            *(t.name for t in c.topics.all()),
        )
        c.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("library", "0003_seed_content")]

    operations = [
        migrations.AddField(
            model_name="casestudy",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_case_study_index, drop_case_study_index),
    ]
