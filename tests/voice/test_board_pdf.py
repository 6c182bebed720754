"""The "you said, we did" summary for the board report, as a PDF: the figures table with
every figure through the suppression service, and what was raised, answered and done."""

import contextlib
import re
import zlib

from django.urls import reverse

from staffwell.voice import exports
from staffwell.voice.models import Post
from tests.voice.helpers import anonymous_post, named_post


def _url(world):
    return reverse("voice:summary_pdf", kwargs={"org": world.org.slug})


def _pdf_text(html: str) -> str:
    """The text WeasyPrint lays out on the PDF's pages."""
    from weasyprint import HTML

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    document = HTML(string=html).render()
    return " ".join(t for page in document.pages for t in texts(page._page_box))


def _objects(pdf: bytes) -> bytes:
    """The PDF's objects, with the compressed object streams opened."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):  # not every stream is compressed
            parts.append(zlib.decompress(stream))
    return b"".join(parts)


def test_both_sides_download_the_board_summary_as_a_tagged_pdf(world, client_for):
    named_post(world, title="More bike racks by the staff entrance")
    for persona in ("lead", "rep"):
        response = client_for(persona).get(_url(world))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and b"/StructTreeRoot" in _objects(response.content)
        assert "attachment" in response["Content-Disposition"]
    for persona in ("staff", "manager", "admin", "editor"):
        assert client_for(persona).get(_url(world)).status_code == 403
    assert client_for("outsider").get(_url(world)).status_code == 404


def test_small_figures_are_not_shown_and_large_ones_are(world):
    for n in range(3):
        named_post(world, title=f"Idea {n}")
    text = _pdf_text(exports.summary_html(world.org))
    assert "Staff voice figures" in text and "Posts" in text and "Not shown" in text
    # Posts are the posts the board lists to everyone, so their number is shown; the
    # figures about people (supporters, shares, the mean) are withheld.
    assert text.split("Posts", 1)[1].split("Supporters", 1)[0].strip() == "3"
    assert text.split('Supporters ("me too")', 1)[1].split("Days", 1)[0].strip() == "Not shown"
    for n in range(3, 12):
        named_post(world, title=f"Idea {n}")
    text = _pdf_text(exports.summary_html(world.org))
    assert "12" in text.split("Posts", 1)[1].split("Supporters", 1)[0]


def test_the_pdf_lists_what_was_said_and_done_but_no_author_and_no_held_post(world):
    named_post(world, "staff", title="More bike racks by the staff entrance")
    anonymous_post(world.org, title="Water fountain on Ward 7")
    held = named_post(world, "manager", title="A held post about someone")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    text = _pdf_text(exports.summary_html(world.org))
    assert "More bike racks by the staff entrance" in text and "Water fountain on Ward 7" in text
    assert "A held post about someone" not in text
    assert "Staff Person" not in text and "Manager Person" not in text


def test_the_pdf_and_the_page_show_the_same_figures(world, client_for):
    for n in range(11):
        named_post(world, title=f"Idea {n}")
    page = client_for("lead").get(reverse("voice:summary", kwargs={"org": world.org.slug})).content.decode()
    context = exports.summary_context(world.org)
    text = _pdf_text(exports.summary_html(world.org))
    for figure in (*context["figures"].values(), context["overdue"]):
        assert str(figure) in page and str(figure) in text
    assert reverse("voice:summary_pdf", kwargs={"org": world.org.slug}) in page
