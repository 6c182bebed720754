from django.urls import path

from staffwell.library.views import editorial, public

app_name = "library"
urlpatterns = [
    path("library/", public.index, name="index"),
    path("library/<slug:slug>/", public.resource_detail, name="resource"),
    path("case-studies/", public.case_studies, name="case_studies"),
    path("case-studies/<slug:slug>/", public.case_study_detail, name="case_study"),
    path("podcasts/", public.podcasts, name="podcasts"),
    path("podcasts/feed.xml", public.podcast_feed, name="feed"),
    path("podcasts/<slug:slug>/", public.episode_detail, name="episode"),
    path("podcasts/<slug:slug>/audio", public.episode_audio, name="episode_audio"),
    path("urgent-support/", public.urgent_support, name="urgent_support"),
    path("editorial/", editorial.dashboard, name="editorial"),
    path("editorial/links/", editorial.links, name="editorial_links"),
    path("editorial/urgent-support/", editorial.urgent_contacts, name="editorial_urgent"),
    path("editorial/urgent-support/<int:pk>/", editorial.urgent_contact_edit, name="editorial_urgent_edit"),
    path("editorial/topics-and-audiences/", editorial.lists, name="editorial_lists"),
    path("editorial/<str:kind>/new/", editorial.create, name="editorial_create"),
    path("editorial/<str:kind>/<int:pk>/", editorial.edit, name="editorial_edit"),
    path("editorial/<str:kind>/<int:pk>/action/", editorial.action, name="editorial_action"),
]
