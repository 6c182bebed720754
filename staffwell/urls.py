from django.urls import include, path

urlpatterns = [
    # Survey answering links are the busiest pages when a whole trust answers at once, and
    # Django tries patterns in order: their short, distinct paths (s/, kiosk/) come first.
    path("", include("staffwell.surveys.urls")),
    path("", include("staffwell.core.urls")),
    path("", include("staffwell.signin.urls")),
    path("o/<slug:org>/", include("staffwell.organisations.urls")),
    # Each domain app declares its own full paths (organisation pages under o/<org>/).
    path("", include("staffwell.library.urls")),
    path("", include("staffwell.assessments.urls")),
    path("", include("staffwell.reporting.urls")),
    path("", include("staffwell.records.urls")),
    path("", include("staffwell.wellbeing.urls")),
    path("", include("staffwell.passports.urls")),
    path("", include("staffwell.voice.urls")),
    path("", include("staffwell.support.urls")),
    path("", include("staffwell.absence.urls")),
    path("platform/", include("staffwell.organisations.platform_urls")),
]

handler404 = "staffwell.core.errors.not_found"
handler403 = "staffwell.core.errors.forbidden"
handler500 = "staffwell.core.errors.server_error"
