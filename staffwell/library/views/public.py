"""Public library pages: anyone can read them without signing in."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from staffwell.library import audio, feed, search
from staffwell.library.models import Audience, CaseStudy, Episode, Resource, Topic
from staffwell.organisations.access import public

PAGE_SIZE = 10


@public
@require_safe
def index(request):
    q = request.GET.get("q", "").strip()[:200]
    topic = request.GET.get("topic", "")
    audience = request.GET.get("audience", "")
    kind = request.GET.get("kind", "")
    resources = Resource.objects.published()
    topics = list(Topic.objects.all())
    audiences = list(Audience.objects.all())
    if topic:
        resources = resources.filter(topics__slug=topic)
    if audience:
        resources = resources.filter(audiences__slug=audience)
    if kind in Resource.Kind.values:
        resources = resources.filter(kind=kind)
    resources = resources.distinct()
    if q:
        ids = search.search_resources(q, resources)
    else:
        # An offer that has ended goes after everything else.
        ids = [r.pk for r in sorted(resources.order_by("title", "pk"), key=lambda r: r.offer_state() == "ended")]
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = Resource.objects.prefetch_related("topics", "audiences").in_bulk(list(page.object_list))
    items = [by_id[pk] for pk in page.object_list if pk in by_id]
    filters = {k: v for k, v in {"q": q, "topic": topic, "audience": audience, "kind": kind}.items() if v}
    context = {
        "q": q,
        "topic": topic,
        "audience": audience,
        "kind": kind,
        "topics": topics,
        "audiences": audiences,
        "kinds": Resource.Kind.choices,
        "page": page,
        "items": items,
        "query_string": urlencode(filters),
        "filtered": bool(filters),
        "topic_name": next((t.name for t in topics if t.slug == topic), ""),
        "audience_name": next((a.name for a in audiences if a.slug == audience), ""),
        "kind_name": dict(Resource.Kind.choices).get(kind, ""),
    }
    return render(request, "library/index.jinja", context)


@public
@require_safe
def resource_detail(request, slug: str):
    resource = get_object_or_404(Resource.objects.published().prefetch_related("topics", "audiences"), slug=slug)
    return render(request, "library/resource.jinja", {"resource": resource})


@public
@require_safe
def case_studies(request):
    """Case studies: search (``?q=``, ranked as for resources) within a framework element filter."""
    q = request.GET.get("q", "").strip()[:200]
    element = request.GET.get("element", "")
    case_studies = CaseStudy.objects.published()
    chosen = int(element) if element.isdigit() and int(element) in CaseStudy.Element.values else None
    if chosen is not None:
        # Framework elements are a JSON list; checked in Python so both databases agree.
        case_studies = case_studies.filter(
            pk__in=[pk for pk, els in case_studies.values_list("pk", "framework_elements") if chosen in (els or [])]
        )
    else:
        element = ""
    if q:
        ids = search.search_case_studies(q, case_studies)
    else:
        ids = list(case_studies.order_by("title", "pk").values_list("pk", flat=True))
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = CaseStudy.objects.prefetch_related("topics").in_bulk(list(page.object_list))
    items = [by_id[pk] for pk in page.object_list if pk in by_id]
    filters = {k: v for k, v in {"q": q, "element": element}.items() if v}
    context = {
        "q": q,
        "element": element,
        "element_name": dict(CaseStudy.Element.choices).get(chosen, ""),
        "elements": CaseStudy.Element.choices,
        "page": page,
        "items": items,
        "query_string": urlencode(filters),
        "filtered": bool(filters),
    }
    return render(request, "library/case_studies.jinja", context)


@public
@require_safe
def case_study_detail(request, slug: str):
    case_study = get_object_or_404(CaseStudy.objects.published().prefetch_related("topics"), slug=slug)
    return render(request, "library/case_study.jinja", {"case_study": case_study})


@public
@require_safe
def podcasts(request):
    return render(request, "library/podcasts.jinja", {"episodes": Episode.objects.published()})


@public
@require_safe
def episode_detail(request, slug: str):
    episode = get_object_or_404(Episode.objects.published(), slug=slug)
    return render(request, "library/episode.jinja", {"episode": episode})


@public
@require_safe
def episode_audio(request, slug: str):
    """The episode's audio, with Range support so players can seek."""
    episode = get_object_or_404(Episode.objects.published(), slug=slug)
    if not episode.has_audio:
        raise Http404
    try:
        fh = episode.open_audio()
    except FileNotFoundError:
        raise Http404 from None
    fh.seek(0, 2)
    size = fh.tell()
    return audio.serve(
        request,
        fh=fh,
        size=size,
        content_type=episode.audio_type or Episode.AUDIO_TYPES.get(episode.audio_extension, "audio/mpeg"),
        filename=f"{episode.slug}.{episode.audio_extension}",
        download="download" in request.GET,
    )


@public
@require_safe
def podcast_feed(request):
    episodes = [e for e in Episode.objects.published() if e.has_audio]
    xml = feed.build(
        request=request, episodes=episodes, image_url=request.build_absolute_uri(static("library/podcast-cover.png"))
    )
    return HttpResponse(xml, content_type="application/rss+xml; charset=utf-8")


@public
@require_safe
def urgent_support(request):
    return render(request, "library/urgent_support.jinja")
