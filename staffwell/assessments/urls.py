from django.urls import path

from staffwell.assessments.views import agree, cycles, frameworks, plan, reports

app_name = "assessments"
P = "o/<slug:org>/assessments/"
C = P + "<int:cycle_id>/"
urlpatterns = [
    path(P, cycles.index, name="index"),
    path(P + "sharing/", cycles.sharing, name="sharing"),
    path(P + "new/", cycles.cycle_new, name="cycle_new"),
    path(P + "frameworks/", frameworks.frameworks, name="frameworks"),
    path(P + "frameworks/example.csv", frameworks.framework_example, name="framework_example"),
    path(P + "frameworks/<int:framework_id>/", frameworks.framework_detail, name="framework"),
    path(P + "system/", reports.system, name="system"),
    path(C, cycles.cycle_detail, name="cycle"),
    path(C + "participants/", cycles.participants, name="participants"),
    path(C + "participants/<int:participant_id>/remove/", cycles.participant_remove, name="participant_remove"),
    path(C + "rate/<int:element_id>/", cycles.rate, name="rate"),
    path(C + "submit/", cycles.submit, name="submit"),
    path(C + "compare/", agree.reconcile, name="reconcile"),
    path(C + "compare/agree-many/", agree.agree_many, name="agree_many"),
    path(C + "compare/<int:statement_id>/", agree.agree, name="agree"),
    path(C + "compare/<int:statement_id>/evidence/", agree.evidence_add, name="evidence_add"),
    path(C + "evidence/<int:evidence_id>/", agree.evidence_download, name="evidence"),
    path(C + "sign-off/", agree.signoff, name="signoff"),
    path(C + "amend/", agree.amend, name="amend"),
    path(C + "results/", reports.results_view, name="results"),
    path(C + "actions/", plan.actions, name="actions"),
    path(C + "actions/agree/", plan.plan_agree, name="plan_agree"),
    path(C + "actions/new/", plan.action_new, name="action_new"),
    path(C + "actions/<int:action_id>/", plan.action_detail, name="action"),
    path(C + "report.pdf", reports.report_pdf, name="report_pdf"),
    path(C + "report.csv", reports.report_csv, name="report_csv"),
    path(C + "report.xlsx", reports.report_xlsx, name="report_xlsx"),
]
