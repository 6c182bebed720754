"""An organisation's own question sets: started, changed only as a draft (any change
clears both sides' agreement, ``agreements``), and changed after agreement only as a new
version."""

from django.db import transaction
from django.utils.text import slugify

from staffwell.core import audit
from staffwell.surveys import agreements
from staffwell.surveys.errors import SurveyError
from staffwell.surveys.models import Instrument, Question, ResponseSet


def _response_set_for(instrument: Instrument, key: str) -> ResponseSet | None:
    from staffwell.surveys.instruments import AGREEMENT, FREQUENCY

    if key == "free_text":
        return None
    options = {"agreement": AGREEMENT, "frequency": FREQUENCY}[key]
    names = {"agreement": "How much you agree", "frequency": "How often"}
    rs, _ = ResponseSet.objects.get_or_create(
        instrument=instrument, key=key, defaults={"name": names[key], "options": options}
    )
    return rs


def _new_question(instrument: Instrument, data: dict) -> Question:
    number = (instrument.questions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    free = data["answer_type"] == "free_text"
    return Question.objects.create(
        instrument=instrument,
        number=number,
        text=data["text"].strip(),
        kind=Question.Kind.FREE_TEXT if free else Question.Kind.SCORED,
        response_set=_response_set_for(instrument, data["answer_type"]),
        reverse_scored=bool(data.get("reverse_scored")) and not free,
        required=not free,
        hint="Optional. Please do not include names or anything that could identify you or anyone else."
        if free
        else "",
    )


def create(*, org, name: str, summary: str = "", recall_period: str = "", actor) -> Instrument:
    """A new draft question set with a key of its own in the organisation."""
    base = slugify(name)[:50] or "question-set"
    key, n = base, 1
    while Instrument.objects.for_org(org).filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    with transaction.atomic():
        instrument = Instrument.objects.create(
            organisation=org,
            key=key,
            name=name.strip(),
            summary=summary.strip(),
            recall_period=recall_period.strip(),
            created_by=actor,
        )
        audit.record("instrument.created", actor=actor, organisation=org, obj=instrument)
    return instrument


def add_question(*, instrument: Instrument, data: dict, actor) -> Question:
    if not instrument.is_editable:
        raise SurveyError("Only a draft question set can be changed.")
    with transaction.atomic():
        question = _new_question(instrument, data)
        agreements.question_set_changed(instrument=instrument, actor=actor)
        audit.record(
            "instrument.question.added",
            actor=actor,
            organisation=instrument.organisation,
            obj=instrument,
            data={"number": question.number, "text": question.text},
        )
    return question


def remove_question(*, instrument: Instrument, question: Question, actor) -> None:
    """Remove a question and number the rest again from 1."""
    if not instrument.is_editable:
        raise SurveyError("Only a draft question set can be changed.")
    with transaction.atomic():
        text = question.text
        question.delete()
        for number, q in enumerate(instrument.questions.order_by("number"), start=1):
            if q.number != number:
                Question.objects.filter(pk=q.pk).update(number=number)
        agreements.question_set_changed(instrument=instrument, actor=actor)
        audit.record(
            "instrument.question.removed",
            actor=actor,
            organisation=instrument.organisation,
            obj=instrument,
            data={"text": text},
        )


def new_version(*, instrument: Instrument, actor) -> Instrument:
    """A draft copy of an organisation's agreed question set, one version up."""
    if instrument.is_shipped:
        raise SurveyError("Shipped instruments cannot be changed. Build your own question set instead.")
    latest = (
        Instrument.objects.filter(organisation=instrument.organisation, key=instrument.key).order_by("-version").first()
    )
    if Instrument.objects.filter(
        organisation=instrument.organisation, key=instrument.key, status=Instrument.Status.DRAFT
    ).exists():
        raise SurveyError("There is already a draft of this question set.")
    with transaction.atomic():
        copy = Instrument.objects.create(
            organisation=instrument.organisation,
            key=instrument.key,
            version=latest.version + 1,
            name=instrument.name,
            summary=instrument.summary,
            recall_period=instrument.recall_period,
            status=Instrument.Status.DRAFT,
            created_by=actor,
        )
        sets = {}
        for rs in instrument.response_sets.all():
            sets[rs.pk] = copy.response_sets.create(key=rs.key, name=rs.name, options=rs.options)
        scales = {}
        for s in instrument.scales.all():
            scales[s.pk] = copy.scales.create(key=s.key, name=s.name, order=s.order)
        for q in instrument.questions.all():
            copy.questions.create(
                number=q.number,
                text=q.text,
                hint=q.hint,
                kind=q.kind,
                response_set=sets.get(q.response_set_id),
                scale=scales.get(q.scale_id),
                reverse_scored=q.reverse_scored,
                required=q.required,
            )
        audit.record(
            "instrument.version.created",
            actor=actor,
            organisation=instrument.organisation,
            obj=copy,
            data={"from_version": instrument.version},
        )
    return copy
