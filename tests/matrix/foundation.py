from staffwell.organisations.models import StaffImport
from tests.matrix import PERSONAS, Case, org_page, public, signed_in


def _import(w):
    staff_import = StaffImport.objects.create(organisation=w.org, filename="staff.csv", content=b"")
    return {"org": w.org.slug, "import_id": staff_import.pk}


def _rep(w):
    return {"org": w.org.slug, "member_id": w.memberships["rep"].pk}


def _unit(w):
    return {"org": w.org.slug, "unit_id": w.team.pk}


def _person(w):
    return {"org": w.org.slug, "member_id": w.memberships["staff"].pk}


ENTRIES = {
    "core:home": signed_in(),
    "core:healthz": public(),
    "core:accessibility": public(),
    "core:privacy": public(),
    "core:cookies": public(),
    "accounts:login": Case({p: (200 if p == "anonymous" else 302) for p in PERSONAS}),
    "accounts:logout": signed_in(),
    "accounts:logout_post": public(status=405),
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public(kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}),
    "accounts:password_reset_complete": public(),
    "accounts:password_change": signed_in(),
    "accounts:password_change_done": signed_in(),
    "accounts:organisations": signed_in(),
    "accounts:sso_settings": org_page({"admin", "lead", "rep"}),
    "accounts:sso_agree": org_page({"lead", "rep"}, ok=405),
    "accounts:mfa_settings": org_page({"admin"}, ok=405),
    "accounts:mfa": public(status=302),  # nothing to verify without a password sign-in first
    # Passkeys (ADR 0022): the ceremonies answer JSON to POST only; without a password sign-in
    # first there is nobody to check (403), and a signed-in person may only POST to add one (405).
    "accounts:passkey_sign_in_begin": public(status=403),
    "accounts:passkey_sign_in_complete": public(status=403),
    "accounts:passkey_add_begin": Case({p: (403 if p == "anonymous" else 405) for p in PERSONAS}),
    "accounts:passkey_add_complete": Case({p: (403 if p == "anonymous" else 405) for p in PERSONAS}),
    "accounts:security": signed_in(),
    "accounts:recovery_codes": signed_in(status=302),  # codes are made once, after a new second step
    "accounts:passkey_remove": signed_in(kwargs=lambda w: {"passkey_id": 1}, status=405),
    # No organisation in the test world has single sign-on switched on (tests/core/test_single_sign_on.py).
    "accounts:sso_start": public(kwargs=lambda w: {"org": w.org.slug}, status=404),
    "accounts:sso_callback": public(kwargs=lambda w: {"org": w.org.slug}, status=404),
    "accounts:resend_invitation": org_page({"admin"}, ok=405, kwargs=_person),
    "organisations:overview": org_page({"lead", "rep", "admin"}),
    "organisations:unit_create": org_page({"admin"}, ok=405),
    "organisations:unit": org_page({"lead", "rep", "admin"}, kwargs=_unit),
    "organisations:people": org_page({"admin"}),
    "organisations:person": org_page({"admin"}, kwargs=_person),
    "wellbeing:my_teams": org_page({"manager"}),
    "organisations:imports": org_page({"admin"}),
    "organisations:import_template": org_page({"admin"}),
    "organisations:import": org_page({"admin"}, kwargs=_import),
    "organisations:import_progress": org_page({"admin"}, kwargs=_import),
    "organisations:audit": org_page({"lead", "rep", "admin"}),
    "organisations:staff_side": org_page({"rep"}),
    "organisations:staff_side_remove": org_page({"rep"}, ok=405, kwargs=_rep),
    "platform:organisations": Case({p: {"platform": 200, "anonymous": 302}.get(p, 404) for p in PERSONAS}),
    "platform:first_rep": Case(
        {p: {"platform": 200, "anonymous": 302}.get(p, 404) for p in PERSONAS}, kwargs=lambda w: {"slug": w.org.slug}
    ),
}
