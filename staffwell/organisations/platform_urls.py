from django.urls import path

from staffwell.organisations import platform_views

app_name = "platform"
urlpatterns = [
    path("organisations/", platform_views.organisations, name="organisations"),
    path("organisations/<slug:slug>/staff-side/", platform_views.first_rep, name="first_rep"),
]
