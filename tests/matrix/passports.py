from tests.matrix import PERSONAS, Case, org_page, public, signed_in


def _passport(w):
    from tests.passports.helpers import matrix_passport

    return matrix_passport(w)


def _only(persona, keys, ok=200):
    def kwargs(w):
        data = _passport(w)
        return {k: data[k] for k in keys}

    return Case({p: {persona: ok, "anonymous": 302}.get(p, 404) for p in PERSONAS}, kwargs)


def _post_only(keys):
    def kwargs(w):
        data = _passport(w)
        return {k: data[k] for k in keys}

    return Case({p: 302 if p == "anonymous" else 405 for p in PERSONAS}, kwargs)


def _trusted_key(w):
    from staffwell.passports.models import TrustedIssuerKey

    key, _ = TrustedIssuerKey.objects.get_or_create(
        organisation=w.org,
        key_id="abcdef0123456789",
        defaults={"issuer_ods_code": "RXX", "issuer_name": "Elsewhere", "public_key": "A" * 43 + "="},
    )
    return {"org": w.org.slug, "key_id": key.pk}


P = ("passport_id",)
A = ("passport_id", "adjustment_id")

ENTRIES = {
    "passports:mine": signed_in(),
    "passports:new": signed_in(lambda w: {"kind": "carer"}),
    "passports:import": signed_in(),
    "passports:detail": _only("staff", P),
    "passports:edit": _only("staff", P),
    "passports:delete": _only("staff", P),
    "passports:adjustment_new": _only("staff", P),
    "passports:adjustment_step": _post_only(A),
    "passports:manager_change": _only("staff", ("passport_id", "change_id")),
    "passports:export_json": _only("staff", P),
    "passports:export_pdf": _only("staff", P),
    "passports:shared": signed_in(),
    "passports:shared_detail": _only("manager", P),
    "passports:decide": _only("manager", A),
    "passports:shared_step": _post_only(A),
    "passports:insight": org_page({"lead", "rep"}),
    "passports:trusted_keys": org_page({"admin"}),
    "passports:trusted_key_delete": org_page({"admin"}, kwargs=_trusted_key, ok=405),
    "passports:verify": public(),
    "passports:public_key": public(lambda w: {"ods_code": w.org.ods_code}),
}
