"""Store a parsed framework file as a new framework version, all at once or not at all.

Used by the upload page and by the data migration that ships the 2021 framework (which
passes the historical models, so this module must not import the app's models at the top).
"""

from pathlib import Path

from django.db import transaction
from django.db.models import Max

from staffwell.assessments import formats

SHIPPED_DIR = Path(__file__).resolve().parent / "frameworks"


def store(parsed: formats.ParsedFramework, *, organisation=None, loaded_by=None, filename: str = "", models=None):
    if models is None:
        from staffwell.assessments import models as app_models

        models = {
            name: getattr(app_models, name)
            for name in ("Framework", "RatingLevel", "Element", "SubElement", "Statement")
        }
    Framework = models["Framework"]
    with transaction.atomic():
        latest = (
            Framework.objects.filter(organisation=organisation, slug=parsed.slug).aggregate(v=Max("version"))["v"] or 0
        )
        framework = Framework.objects.create(
            organisation=organisation,
            slug=parsed.slug,
            version=latest + 1,
            name=parsed.name,
            description=parsed.description,
            source_filename=filename[:255],
            loaded_by=loaded_by,
        )
        models["RatingLevel"].objects.bulk_create(
            [
                models["RatingLevel"](framework=framework, value=lv.value, label=lv.label, description=lv.description)
                for lv in parsed.levels
            ]
        )
        for e_order, el in enumerate(parsed.elements, start=1):
            element = models["Element"].objects.create(
                framework=framework, code=el.code, title=el.title, description=el.description, order=e_order
            )
            for s_order, sub in enumerate(el.sub_elements, start=1):
                sub_element = models["SubElement"].objects.create(
                    element=element, code=sub.code, title=sub.title, description=sub.description, order=s_order
                )
                models["Statement"].objects.bulk_create(
                    [
                        models["Statement"](
                            sub_element=sub_element, code=st.code, text=st.text, description=st.description, order=i
                        )
                        for i, st in enumerate(sub.statements, start=1)
                    ]
                )
    return framework


def shipped(name: str) -> formats.ParsedFramework:
    return formats.parse((SHIPPED_DIR / name).read_bytes())
