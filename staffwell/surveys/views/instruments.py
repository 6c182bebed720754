"""Question sets: the shipped instruments and an organisation's own, agreed by both sides."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.surveys import agreements, question_sets, services
from staffwell.surveys.forms import InstrumentForm, QuestionForm
from staffwell.surveys.models import Instrument, Question


def _instrument(request, instrument_id: int) -> Instrument:
    return get_object_or_404(Instrument.objects.available_to(request.org), pk=instrument_id)


def _own_draft(request, instrument_id: int) -> Instrument:
    return get_object_or_404(
        Instrument.objects.for_org(request.org).filter(status=Instrument.Status.DRAFT), pk=instrument_id
    )


@org_view(PARTNERSHIP)
def instrument_list(request):
    instruments = Instrument.objects.available_to(request.org).exclude(status=Instrument.Status.RETIRED)
    return render(
        request,
        "surveys/instruments.jinja",
        {"instruments": instruments, "can_lead": request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK)},
    )


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def instrument_create(request):
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instrument = question_sets.create(org=request.org, actor=request.user, **form.cleaned_data)
        messages.success(request, "Question set started. Add its questions, then both sides agree it.")
        return redirect("surveys:instrument", org=request.org.slug, instrument_id=instrument.pk)
    return render(request, "surveys/instrument_form.jinja", {"form": form}, status=400 if form.errors else 200)


@org_view(PARTNERSHIP)
def instrument_detail(request, instrument_id: int):
    instrument = _instrument(request, instrument_id)
    side = side_of(request.membership)
    agreement = None if instrument.is_shipped else instrument.agreement
    context = {
        "instrument": instrument,
        "questions": instrument.ordered_questions(),
        "side": side,
        "agreement": agreement,
        "can_agree": bool(agreement and side and instrument.is_editable and agreement.for_side(side) is None),
        "can_lead": request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK),
        "form": QuestionForm() if instrument.is_editable else None,
    }
    return render(request, "surveys/instrument.jinja", context)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def question_add(request, instrument_id: int):
    instrument = _own_draft(request, instrument_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = question_sets.add_question(instrument=instrument, data=form.cleaned_data, actor=request.user)
        messages.success(request, f"Question {question.number} added.")
        return redirect("surveys:instrument", org=request.org.slug, instrument_id=instrument.pk)
    return render(
        request,
        "surveys/question_form.jinja",
        {"form": form, "instrument": instrument},
        status=400 if form.errors else 200,
    )


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
@require_POST
def question_remove(request, instrument_id: int, question_id: int):
    instrument = _own_draft(request, instrument_id)
    question = get_object_or_404(Question.objects.filter(instrument=instrument), pk=question_id)
    question_sets.remove_question(instrument=instrument, question=question, actor=request.user)
    messages.success(request, "Question removed.")
    return redirect("surveys:instrument", org=request.org.slug, instrument_id=instrument.pk)


@org_view(PARTNERSHIP)
@require_POST
def instrument_agree(request, instrument_id: int):
    instrument = get_object_or_404(Instrument.objects.for_org(request.org), pk=instrument_id)
    try:
        state = agreements.agree_question_set(instrument=instrument, membership=request.membership)
    except (services.SurveyError, partnership.PartnershipError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Agreed by both sides: the question set can be used." if state.complete else "Your agreement is recorded.",
        )
    return redirect("surveys:instrument", org=request.org.slug, instrument_id=instrument.pk)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
@require_POST
def instrument_new_version(request, instrument_id: int):
    instrument = get_object_or_404(Instrument.objects.for_org(request.org), pk=instrument_id)
    try:
        copy = services.new_version(instrument=instrument, actor=request.user)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:instrument", org=request.org.slug, instrument_id=instrument.pk)
    messages.success(request, f"Version {copy.version} started as a draft. Both sides agree it before it is used.")
    return redirect("surveys:instrument", org=request.org.slug, instrument_id=copy.pk)
