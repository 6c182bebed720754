from django.urls import path

from staffwell.passports.views import mine, org, public, shared

app_name = "passports"
urlpatterns = [
    # The owner's own passports
    path("my/passports/", mine.mine, name="mine"),
    path("my/passports/new/<slug:kind>/", mine.new, name="new"),
    path("my/passports/import/", mine.import_passport, name="import"),
    path("my/passports/<int:passport_id>/", mine.detail, name="detail"),
    path("my/passports/<int:passport_id>/edit/", mine.edit, name="edit"),
    path("my/passports/<int:passport_id>/delete/", mine.delete, name="delete"),
    path("my/passports/<int:passport_id>/adjustments/new/", mine.adjustment_new, name="adjustment_new"),
    path(
        "my/passports/<int:passport_id>/adjustments/<int:adjustment_id>/step/",
        mine.adjustment_step,
        name="adjustment_step",
    ),
    path("my/passports/<int:passport_id>/manager-change/<int:change_id>/", mine.manager_change, name="manager_change"),
    path("my/passports/<int:passport_id>/signed.json", mine.export_json, name="export_json"),
    path("my/passports/<int:passport_id>/signed.pdf", mine.export_pdf, name="export_pdf"),
    # Passports others have shared with me
    path("shared/passports/", shared.shared_list, name="shared"),
    path("shared/passports/<int:passport_id>/", shared.shared_detail, name="shared_detail"),
    path("shared/passports/<int:passport_id>/adjustments/<int:adjustment_id>/decide/", shared.decide, name="decide"),
    path(
        "shared/passports/<int:passport_id>/adjustments/<int:adjustment_id>/step/",
        shared.shared_step,
        name="shared_step",
    ),
    # Organisation pages
    path("o/<slug:org>/passports/insight/", org.insight, name="insight"),
    path("o/<slug:org>/passports/trusted-issuers/", org.trusted_keys, name="trusted_keys"),
    path(
        "o/<slug:org>/passports/trusted-issuers/<int:key_id>/remove/", org.trusted_key_delete, name="trusted_key_delete"
    ),
    # Public
    path("passports/verify/", public.verify, name="verify"),
    path("passports/keys/<str:ods_code>.json", public.public_key, name="public_key"),
]
