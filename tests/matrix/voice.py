from tests.matrix import ORG_MEMBERS, org_page

EVERYONE = set(ORG_MEMBERS)
TRIAGERS = {"lead", "rep"}


def _post(w):
    from tests.voice.helpers import matrix_post

    return {"org": w.org.slug, "post_id": matrix_post(w).pk}


def _post_only(allowed):
    return org_page(allowed, kwargs=_post, ok=405)


ENTRIES = {
    "voice:index": org_page(EVERYONE),
    "voice:new": org_page(EVERYONE),
    "voice:mine": org_page(EVERYONE),
    "voice:post": org_page(EVERYONE, kwargs=_post),
    "voice:support": _post_only(EVERYONE),
    "voice:comment": _post_only(EVERYONE),
    "voice:follow": org_page(EVERYONE),
    "voice:follow_reply": org_page(EVERYONE, ok=405),
    "voice:board": org_page(EVERYONE),
    "voice:summary": org_page(TRIAGERS),
    "voice:summary_pdf": org_page(TRIAGERS),
    "voice:triage": org_page(TRIAGERS),
    "voice:triage_post": org_page(TRIAGERS, kwargs=_post),
    "voice:answer": _post_only(TRIAGERS),
    "voice:moderate": _post_only(TRIAGERS),
    "voice:merge": _post_only(TRIAGERS),
    "voice:action": org_page(TRIAGERS, kwargs=_post, ok=302),
    "voice:settings": org_page(TRIAGERS),
}
