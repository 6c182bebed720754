from django.urls import path

from staffwell.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("people/", views.people, name="people"),
    path("people/<int:member_id>/", views.person_detail, name="person"),
    path("imports/", views.imports, name="imports"),
    path("imports/template.csv", views.import_template, name="import_template"),
    path("imports/<int:import_id>/", views.import_detail, name="import"),
    path("imports/<int:import_id>/progress.json", views.import_progress, name="import_progress"),
    path("audit/", views.audit_log, name="audit"),
    path("staff-side/", views.staff_side_reps, name="staff_side"),
    path("staff-side/<int:member_id>/remove/", views.staff_side_remove, name="staff_side_remove"),
]
