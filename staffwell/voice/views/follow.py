"""An anonymous author follows and answers their post with their private code.

The code only ever travels in a POST body: never in a page address (a shared ward
computer keeps addresses in its history) and so never in a server log line.
"""

from django.shortcuts import render
from django.views.decorators.http import require_POST

from staffwell.voice import moderation, services
from staffwell.voice.forms import CodeForm, ReplyForm
from staffwell.voice.views.common import no_store, voice_view


def _show(request, found, code: str, reply_form=None, status=200, replied=False):
    context = {
        "found": found,
        "code": code,
        "reply_form": reply_form or ReplyForm(initial={"code": code}),
        "REASONS": moderation.REASONS,
        "conf": services.settings_for(request.org),
        "replied": replied,
    }
    if found.post is not None:
        context["supporters"] = services.support_figures(request.org, [found.post])[str(found.post.pk)]
        context["comments"] = found.post.comments.all()
    return no_store(render(request, "voice/followed.jinja", context, status=status))


@voice_view()
def follow(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = services.follow(org=request.org, code=form.cleaned_data["code"])
        if found is not None:
            return _show(request, found, form.cleaned_data["code"])
        form.add_error("code", "No post has that code. Check the code and try again.")
    return no_store(render(request, "voice/follow.jinja", {"form": form}, status=400 if form.errors else 200))


@voice_view()
@require_POST
def reply(request):
    form = ReplyForm(request.POST)
    code = request.POST.get("code", "")
    found = services.follow(org=request.org, code=code) if code else None
    if found is None:
        form = CodeForm(request.POST)
        form.is_valid()
        form.add_error("code", "No post has that code. Check the code and try again.")
        return no_store(render(request, "voice/follow.jinja", {"form": form}, status=400))
    if found.post is None:
        return _show(request, found, code, status=400)
    if not form.is_valid():
        return _show(request, found, code, reply_form=form, status=400)
    services.reply_as_author(org=request.org, post=found.post, body=form.cleaned_data["body"].strip())
    request.inbox_written = True
    found = services.follow(org=request.org, code=code)
    return _show(request, found, code, replied=True)
