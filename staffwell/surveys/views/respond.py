"""Answering a survey: by personal link (``s/<token>/``) or kiosk code.

A kiosk code is typed into a form (a POST) and never appears in a page address: the
answering pages use ``kiosk/<handle>/``, a random handle kept in this browser's session
(with the code sealed by the application's keys), so the same address in another browser
opens nothing, and the same code typed in another browser starts afresh without the saved
answers. Finishing removes the handle from the session.

These pages are public (the link or code is the permission) and never look at who is
signed in, so a response cannot pick up anything about the person's account. Unfinished
answers live in an encrypted ``Draft`` only the link or code can open. Submitting is
idempotent: a second submit, a retry or the back button lands on the "done" page.
"""

import secrets

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from staffwell.core import crypto
from staffwell.organisations.access import public
from staffwell.organisations.models import StaffGroup
from staffwell.surveys import services

MODES = {"one": "One question at a time", "all": "All the questions on one page"}


KIOSK_SESSION = "surveys.kiosk"


def _ticket(kind: str, secret: str, request=None) -> services.Ticket:
    if kind == "invite":
        ticket = services.ticket_for_token(secret)
    else:
        sealed = request.session.get(KIOSK_SESSION, {}).get(secret) if request is not None else None
        try:
            ticket = services.ticket_for_code(crypto.decrypt(sealed)) if sealed else None
        except crypto.InvalidToken:  # sealed with a key since removed
            ticket = None
        if ticket is not None:
            ticket.handle = secret
    if ticket is None:
        raise Http404
    return ticket


def _kiosk_handle(request, code: str) -> str:
    handle = secrets.token_urlsafe(16)
    request.session[KIOSK_SESSION] = {handle: crypto.encrypt(code)}  # one code per browser at a time
    return handle


def _forget_kiosk(request, handle: str) -> None:
    handles = request.session.get(KIOSK_SESSION, {})
    if handle in handles:
        request.session[KIOSK_SESSION] = {h: c for h, c in handles.items() if h != handle}


def _url(ticket: services.Ticket, step: str, **extra) -> str:
    from django.urls import reverse

    prefix = "respond" if ticket.kind == "invite" else "kiosk"
    return reverse(f"surveys:{prefix}_{step}", kwargs={**ticket.url_kwargs, **extra})


def _context(ticket, **extra) -> dict:
    return {
        "ticket": ticket,
        "campaign": ticket.campaign,
        "instrument": ticket.campaign.instrument,
        "u": lambda step, **kw: _url(ticket, step, **kw),
        **extra,
    }


def _read_answers(post, questions, draft: dict, only=None) -> None:
    """Copy what was posted into the draft (keeping earlier answers to other questions)."""
    for q in questions:
        if only is not None and q.number != only:
            continue
        field = f"q{q.number}"
        if q.is_free_text:
            draft["free_text"][q.number] = post.get(field, "").strip()
        else:
            raw = post.get(field, "")
            # Only plain digits of a sensible length: "²" is a digit to str.isdigit but not to
            # int(), and thousands of digits would not fit the padded draft.
            if raw.isascii() and raw.isdigit() and len(raw) <= 6:
                draft["answers"][q.number] = int(raw)
            else:
                draft["answers"].pop(q.number, None)


def _closed_or_used(request, ticket):
    """The response for a link that was already used or a survey that has closed, or None."""
    if ticket.is_used():
        return redirect(_url(ticket, "done"))
    if not ticket.is_open:
        return _render_closed(request, ticket)
    return None


def _render_closed(request, ticket):
    from django.utils import timezone

    return render(request, "surveys/respond/closed.jinja", _context(ticket, today=timezone.localdate()))


@public
@never_cache
@require_http_methods(["GET", "POST"])
def start(request, kind: str, **secret):
    if kind == "kiosk" and secret["code"] not in request.session.get(KIOSK_SESSION, {}):
        # A slip's QR code opens /kiosk/<code>/: swap the code for this browser's handle
        # at once, so the code stays out of the pages' addresses from here on.
        ticket = services.ticket_for_code(secret["code"])
        if ticket is None:
            raise Http404
        ticket.handle = _kiosk_handle(request, ticket.secret)
        return redirect(_url(ticket, "done" if ticket.is_used() else "start"))
    ticket = _ticket(kind, *secret.values(), request)
    stop = _closed_or_used(request, ticket)
    if stop:
        return stop
    draft = services.load_draft(ticket)
    error = band_error = ""
    bands = []
    if kind == "kiosk" and ticket.campaign.ask_staff_group:
        allowed = ticket.campaign.report_bands.get(services.bucket_for(ticket.stored_unit_id), [])
        bands = [(g, StaffGroup(g).label) for g in allowed]
    if request.method == "POST":
        mode = request.POST.get("mode", "")
        band = request.POST.get("band", "")
        if mode not in MODES:
            error = "Choose how you would like to answer"
        if bands and band and band not in dict(bands):
            band_error = "Choose one of the staff groups offered, or 'Prefer not to say'"
        if not error and not band_error:
            draft["mode"] = mode
            if bands:
                draft["band"] = band
            services.save_draft(ticket, draft)
            if mode == "all":
                return redirect(_url(ticket, "all"))
            first = next(
                (q.number for q in ticket.questions() if q.number not in draft["answers"] and not q.is_free_text),
                ticket.questions()[0].number,
            )
            return redirect(_url(ticket, "question", number=first))
    context = _context(
        ticket,
        modes=MODES,
        mode=request.POST.get("mode", draft["mode"] or ""),
        error=error,
        band_error=band_error,
        bands=bands,
        band=request.POST.get("band", draft.get("band", "")),
        resuming=bool(draft["answers"] or draft["free_text"]),
        question_count=len(ticket.questions()),
    )
    return render(request, "surveys/respond/start.jinja", context, status=400 if error or band_error else 200)


def _finish(request, ticket, draft, questions):
    """Submit, or show what is missing. Always redirects after a successful POST."""
    if ticket.kind == "kiosk" and draft.get("band"):
        ticket.band = ticket.campaign.stored_band(ticket.stored_unit_id, draft["band"])
    errors = services.validate_answers(questions, draft["answers"], draft["free_text"])
    if errors:
        return errors
    try:
        services.submit(ticket=ticket, questions=questions, answers=draft["answers"], free_text=draft["free_text"])
    except services.SurveyError:
        return _render_closed(request, ticket)
    # Stored now, or already stored by an earlier submit with the same link: either way, done.
    return redirect(_url(ticket, "done"))


@public
@never_cache
@require_http_methods(["GET", "POST"])
def all_questions(request, kind: str, **secret):
    ticket = _ticket(kind, *secret.values(), request)
    questions = ticket.questions()
    errors: dict = {}
    if request.method == "POST":
        # The page posts every question, so what was posted is the whole answer: the saved
        # draft is only needed for a kiosk respondent's staff group. Submitting checks
        # "already answered" and "closed" itself, so a double submit or retry costs little.
        if kind == "kiosk":
            draft = services.load_draft(ticket)
        else:
            draft = {"answers": {}, "free_text": {}, "mode": "all", "band": ""}
        _read_answers(request.POST, questions, draft)
        draft["mode"] = draft["mode"] or "all"
        if request.POST.get("action") == "save":
            if ticket.is_used():
                return redirect(_url(ticket, "done"))
            services.save_draft(ticket, draft)
            return redirect(_url(ticket, "saved"))
        result = _finish(request, ticket, draft, questions)
        if not isinstance(result, dict):
            return result
        errors = result
        if ticket.is_used():
            return redirect(_url(ticket, "done"))
        services.save_draft(ticket, draft)  # keep what was chosen while the rest is answered
    else:
        stop = _closed_or_used(request, ticket)
        if stop:
            return stop
        draft = services.load_draft(ticket)
    context = _context(ticket, questions=questions, draft=draft, errors=errors)
    return render(request, "surveys/respond/all.jinja", context, status=400 if errors else 200)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def question(request, kind: str, number: int, **secret):
    ticket = _ticket(kind, *secret.values(), request)
    stop = _closed_or_used(request, ticket)
    if stop:
        return stop
    questions = ticket.questions()
    numbers = [q.number for q in questions]
    if number not in numbers:
        raise Http404
    index = numbers.index(number)
    q = questions[index]
    draft = services.load_draft(ticket)
    error = ""
    if request.method == "POST":
        _read_answers(request.POST, questions, draft, only=number)
        services.save_draft(ticket, {**draft, "mode": draft["mode"] or "one"})
        if request.POST.get("action") == "save":
            return redirect(_url(ticket, "saved"))
        error = services.validate_answers([q], draft["answers"], draft["free_text"]).get(number, "")
        if not error:
            if index + 1 < len(questions):
                return redirect(_url(ticket, "question", number=numbers[index + 1]))
            return redirect(_url(ticket, "check"))
    context = _context(
        ticket,
        q=q,
        position=index + 1,
        total=len(questions),
        previous=numbers[index - 1] if index else None,
        draft=draft,
        errors={number: error} if error else {},
    )
    return render(request, "surveys/respond/question.jinja", context, status=400 if error else 200)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def check(request, kind: str, **secret):
    ticket = _ticket(kind, *secret.values(), request)
    stop = _closed_or_used(request, ticket)
    if stop:
        return stop
    questions = ticket.questions()
    draft = services.load_draft(ticket)
    errors: dict = {}
    if request.method == "POST":
        result = _finish(request, ticket, draft, questions)
        if not isinstance(result, dict):
            return result
        errors = result
    context = _context(ticket, questions=questions, draft=draft, errors=errors)
    return render(request, "surveys/respond/check.jinja", context, status=400 if errors else 200)


@public
@never_cache
def saved(request, kind: str, **secret):
    ticket = _ticket(kind, *secret.values(), request)
    return render(request, "surveys/respond/saved.jinja", _context(ticket))


@public
@never_cache
def done(request, kind: str, **secret):
    ticket = _ticket(kind, *secret.values(), request)
    if not ticket.is_used():
        return redirect(_url(ticket, "start"))
    page = render(request, "surveys/respond/done.jinja", _context(ticket))
    if kind == "kiosk":
        _forget_kiosk(request, ticket.handle)  # nothing of theirs opens from this browser again
    return page


@public
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request):
    """Where staff without email type the code from their slip."""
    error = ""
    code = ""
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        normalised = services.normalise_code(code)
        if not normalised:
            error = "Enter the code from your slip"
        elif len(normalised) != services.KIOSK_CODE_LENGTH:
            error = f"The code has {services.KIOSK_CODE_LENGTH} letters and numbers; check you have typed all of it"
        else:
            ticket = services.ticket_for_code(normalised)
            if ticket is None:
                error = "That code is not recognised. Check it against your slip, or ask for a new slip"
            else:
                ticket.handle = _kiosk_handle(request, normalised)
                return redirect(_url(ticket, "done" if ticket.is_used() else "start"))
    return render(request, "surveys/respond/kiosk.jinja", {"error": error, "code": code}, status=400 if error else 200)
