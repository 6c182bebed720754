from django.urls import path

from staffwell.records import views

app_name = "records"
urlpatterns = [
    path("my/access-log/", views.access_log, name="access_log"),
    path("my/sharing/", views.sharing, name="sharing"),
    path("my/sharing/<slug:kind>/<int:record_id>/", views.share, name="share"),
    path("my/sharing/grants/<int:grant_id>/withdraw/", views.withdraw, name="withdraw"),
    path("my/data/", views.my_data, name="my_data"),
    path("my/data/export.json", views.export_json, name="export_json"),
    path("my/data/export.pdf", views.export_pdf, name="export_pdf"),
    path("my/data/erase/", views.erase, name="erase"),
]
