from staffwell.library.models import Episode, Resource, UrgentContact
from tests.matrix import PERSONAS, Case, public


def editors_only(kwargs=None, ok: int = 200) -> Case:
    """Editorial pages: content editors get ``ok``, other signed-in people 403, visitors sign in."""
    expect = dict.fromkeys(PERSONAS, 403)
    expect.update({"anonymous": 302, "editor": ok})
    return Case(expect, kwargs)


def _resource(w):
    return {"slug": Resource.objects.published().first().slug}


def _resource_edit(w):
    return {"kind": "resources", "pk": Resource.objects.first().pk}


def _episode(w):
    return {"slug": Episode.objects.published().first().slug}


ENTRIES = {
    "library:index": public(),
    "library:resource": public(kwargs=_resource),
    "library:case_studies": public(),
    "library:case_study": public(kwargs=lambda w: {"slug": "mersey-care-just-and-learning-culture"}),
    "library:podcasts": public(),
    "library:feed": public(),
    "library:episode": public(kwargs=_episode),
    "library:episode_audio": public(kwargs=_episode),
    "library:urgent_support": public(),
    "library:editorial": editors_only(),
    "library:editorial_links": editors_only(),
    "library:editorial_urgent": editors_only(),
    "library:editorial_urgent_edit": editors_only(kwargs=lambda w: {"pk": UrgentContact.objects.first().pk}),
    "library:editorial_lists": editors_only(),
    "library:editorial_create": editors_only(kwargs=lambda w: {"kind": "resources"}),
    "library:editorial_edit": editors_only(kwargs=_resource_edit),
    "library:editorial_action": editors_only(kwargs=_resource_edit, ok=405),
}
