from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from staffwell.assessments import formats, loader
from staffwell.assessments.forms import FrameworkUploadForm
from staffwell.assessments.models import Framework
from staffwell.core import audit
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view


@org_view(PARTNERSHIP)
def frameworks(request):
    can_load = request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK)
    problems: list[str] = []
    form = FrameworkUploadForm() if can_load else None
    status = 200
    if request.method == "POST" and can_load:
        form = FrameworkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                parsed = formats.parse(upload.read(formats.MAX_BYTES + 1))
            except formats.FrameworkFileError as exc:
                problems = exc.messages
                status = 400
            else:
                framework = loader.store(parsed, organisation=request.org, loaded_by=request.user, filename=upload.name)
                audit.record(
                    "assessment.framework.loaded",
                    actor=request.user,
                    organisation=request.org,
                    obj=framework,
                    data={"slug": framework.slug, "version": framework.version, "statements": parsed.statement_count},
                )
                messages.success(request, f"Loaded {framework}: {parsed.statement_count} statements.")
                return redirect("assessments:framework", org=request.org.slug, framework_id=framework.pk)
        else:
            status = 400
    elif request.method == "POST":
        return HttpResponse(status=403)
    context = {
        "frameworks": Framework.objects.available_to(request.org).prefetch_related("elements"),
        "form": form,
        "problems": problems,
    }
    return render(request, "assessments/frameworks.jinja", context, status=status)


@org_view(PARTNERSHIP)
def framework_detail(request, framework_id: int):
    framework = get_object_or_404(Framework.objects.available_to(request.org), pk=framework_id)
    elements = framework.elements.prefetch_related("sub_elements__statements")
    return render(
        request,
        "assessments/framework.jinja",
        {"framework": framework, "elements": elements, "levels": framework.levels.all()},
    )


@org_view(PARTNERSHIP)
def framework_example(request):
    response = HttpResponse(formats.example(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="staffwell-framework-example.csv"'
    return response
