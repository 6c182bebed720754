from django.urls import path

from staffwell.absence import views, views_changes, views_import

app_name = "absence"
P = "o/<slug:org>/absence/"
urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "units/<int:unit_id>/", views.unit, name="unit"),
    path(P + "staff-groups/<slug:group>/", views.staff_group, name="staff_group"),
    path(P + "reasons/<slug:group>/", views.reason, name="reason"),
    path(P + "stress/", views.stress, name="stress"),
    path(P + "musculoskeletal/", views.msk, name="msk"),
    path(P + "national/", views_import.national, name="national"),
    path(P + "import/", views_import.upload, name="upload"),
    path(P + "actions/<int:action_id>/measure/", views_import.measure, name="measure"),
    path(P + "changes/", views_changes.changes, name="changes"),
    path(P + "changes/<int:change_id>/remove/", views_changes.change_remove, name="change_remove"),
    path(P + "triggers/", views_changes.trigger_page, name="triggers"),
    path(P + "triggers/propose/", views_changes.trigger_propose, name="trigger_propose"),
    path(P + "triggers/<int:definition_id>/agree/", views_changes.trigger_agree, name="trigger_agree"),
]
