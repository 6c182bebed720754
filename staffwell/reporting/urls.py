from django.urls import path

from staffwell.reporting import views

app_name = "reporting"

ORG = "o/<slug:org>/reports/"

urlpatterns = [
    path(ORG, views.index, name="index"),
    path(f"{ORG}<int:campaign_id>/", views.report, name="report"),
    path(f"{ORG}<int:campaign_id>/export.<str:fmt>", views.export, name="export"),
    path(f"{ORG}<int:campaign_id>/comments/", views.comments, name="comments"),
    path(f"{ORG}<int:campaign_id>/comments/redact/", views.comment_redact, name="comment_redact"),
    path(f"{ORG}<int:campaign_id>/comments/release/", views.comment_release, name="comment_release"),
    path(f"{ORG}<int:campaign_id>/action/", views.suggest_action, name="suggest_action"),
    path(f"{ORG}thresholds/", views.policy, name="policy"),
    path(f"{ORG}thresholds/<int:proposal_id>/", views.policy_decide, name="policy_decide"),
    path(f"{ORG}benchmarks/", views.benchmarks, name="benchmarks"),
]
