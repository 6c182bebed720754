"""Campaign pages for the partnership: both sides see the same; the employer side runs it."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from staffwell import suppression
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.surveys import agreements, progress, qr, services
from staffwell.surveys.forms import CampaignForm, KioskBatchForm
from staffwell.surveys.models import Campaign, Invitation, KioskBatch


def _campaign(request, campaign_id: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.for_org(request.org).select_related("instrument", "created_by"), pk=campaign_id
    )


@org_view(PARTNERSHIP)
def campaign_list(request):
    campaigns = Campaign.objects.for_org(request.org).select_related("instrument")
    return render(
        request,
        "surveys/campaigns.jinja",
        {"campaigns": campaigns, "can_lead": request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK)},
    )


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def campaign_create(request):
    form = CampaignForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        campaign = services.save_campaign(
            campaign=Campaign(organisation=request.org, created_by=request.user),
            data=form.cleaned_data,
            actor=request.user,
        )
        messages.success(request, "Survey created. Both sides need to agree it before it can start.")
        return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)
    return render(
        request, "surveys/campaign_form.jinja", {"form": form, "campaign": None}, status=400 if form.errors else 200
    )


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def campaign_edit(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    if campaign.status != Campaign.Status.DRAFT:
        messages.error(request, "A survey cannot be changed once it has started.")
        return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)
    initial = {
        "name": campaign.name,
        "instrument": str(campaign.instrument_id),
        "units": [str(u.pk) for u in campaign.units.all()],
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "invitation_message": campaign.invitation_message,
        "reminder_message": campaign.reminder_message,
        "remind_every_days": campaign.remind_every_days,
        "ask_staff_group": campaign.ask_staff_group,
    }
    form = CampaignForm(request.POST or None, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_campaign(campaign=campaign, data=form.cleaned_data, actor=request.user, changed=form.changed_data)
        messages.success(request, "Changes saved. Both sides need to agree the survey again.")
        return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)
    return render(
        request, "surveys/campaign_form.jinja", {"form": form, "campaign": campaign}, status=400 if form.errors else 200
    )


@org_view(PARTNERSHIP)
def campaign_detail(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    org = request.org
    batches = list(KioskBatch.objects.filter(campaign=campaign).select_related("unit"))
    side = side_of(request.membership)
    agreement = campaign.agreement
    context = {
        "campaign": campaign,
        "units": list(campaign.units.all()),
        "side": side,
        "agreement": agreement,
        "can_agree": bool(side and campaign.status == Campaign.Status.DRAFT and agreement.for_side(side) is None),
        "can_lead": request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK),
        "in_scope": suppression.count(campaign.in_scope_count, org=org),
        "min_group": suppression.min_group_size(org),
        "batches": batches,
        **progress.figures(campaign),
    }
    return render(request, "surveys/campaign.jinja", context)


@org_view(PARTNERSHIP)
@require_POST
def campaign_agree(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    try:
        state = agreements.agree_campaign(campaign=campaign, membership=request.membership)
    except (services.SurveyError, partnership.PartnershipError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Agreed by both sides: the survey can start." if state.complete else "Your agreement is recorded."
        )
    return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
@require_POST
def campaign_launch(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    try:
        services.launch(campaign=campaign, actor=request.user)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "The survey has started. Invitations are being emailed."
            if campaign.is_open
            else "The survey is launched. Invitations are emailed on the opening day.",
        )
    return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
@require_POST
def campaign_close(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    try:
        services.close(campaign=campaign, actor=request.user)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The survey is closed. Unfinished answers have been deleted.")
    return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
@require_POST
def campaign_remind(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    if not campaign.is_open:
        messages.error(request, "Reminders can only be sent while the survey is open.")
    elif campaign.last_reminder_on == timezone.localdate():
        messages.error(
            request, "A reminder has already gone to everyone who had not answered today. Send the next one tomorrow."
        )
    else:
        from staffwell.surveys.tasks import send_reminders

        transaction.on_commit(lambda: send_reminders.enqueue(campaign.pk))
        messages.success(request, "Reminders are being sent to people who have not answered.")
    return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def kiosk_codes(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    if campaign.status != Campaign.Status.LAUNCHED:
        messages.error(request, "Codes can be made once the survey is launched and until it closes.")
        return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)
    form = KioskBatchForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.create_kiosk_batch(
                campaign=campaign, unit=form.cleaned_data["unit"], size=form.cleaned_data["size"], actor=request.user
            )
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            kiosk_url = request.build_absolute_uri(reverse("surveys:kiosk"))
            slips = [
                {
                    "code": code,
                    "qr": qr.qr_svg(
                        qr.slip_url(request, code), label=f"QR code that opens the survey with code {code}"
                    ),
                }
                for code in codes
            ]
            response = render(
                request,
                "surveys/kiosk_slips.jinja",
                {
                    "campaign": campaign,
                    "slips": slips,
                    "codes": codes,
                    "unit": form.cleaned_data["unit"],
                    "kiosk_url": kiosk_url,
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request, "surveys/kiosk_codes.jinja", {"campaign": campaign, "form": form}, status=400 if form.errors else 200
    )


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
@require_POST
def kiosk_void(request, campaign_id: int, batch_id: int):
    campaign = _campaign(request, campaign_id)
    batch = get_object_or_404(KioskBatch.objects.filter(campaign=campaign), pk=batch_id)
    services.void_kiosk_batch(batch=batch, actor=request.user)
    messages.success(request, f"The unused codes for {batch.unit.name} no longer work.")
    return redirect("surveys:campaign", org=request.org.slug, campaign_id=campaign.pk)


def my_surveys(request):
    """Open surveys the signed-in person is invited to and has not answered, with their link."""
    invitations = Invitation.objects.filter(
        membership__user=request.user, membership__is_active=True, campaign__status=Campaign.Status.LAUNCHED
    ).select_related("campaign__instrument", "campaign__organisation")
    items = []
    for inv in invitations:
        ticket = services.ticket_for_token(services.invitation_token(inv.secret))
        if ticket is None:
            raise Http404
        if inv.campaign.is_open and not ticket.is_used():
            items.append({"campaign": inv.campaign, "url": reverse("surveys:respond_start", kwargs=ticket.url_kwargs)})
    return render(request, "surveys/mine.jinja", {"items": items})
