from django.urls import path

from .views import assessment, assurance, plan

urlpatterns = [
    path("requirements/", assessment.requirement_list, name="requirement_list"),
    path("years/", assessment.assessment_list, name="assessment_list"),
    path("years/<int:year>/", assessment.assessment_detail, name="assessment_detail"),
    path("years/<int:year>/ready/", assessment.assessment_ready, name="assessment_ready"),
    path("years/<int:year>/sign/", assessment.assessment_sign, name="assessment_sign"),
    path("years/<int:year>/new-version/", assessment.assessment_new_version, name="assessment_new_version"),
    path("years/<int:year>/requirements/<slug:code>/", assessment.answer_edit, name="answer_edit"),
    path("years/<int:year>/requirements/<slug:code>/evidence/", assessment.evidence_upload, name="evidence_upload"),
    path("years/<int:year>/requirements/<slug:code>/link/", assessment.evidence_link, name="evidence_link"),
    path(
        "years/<int:year>/requirements/<slug:code>/documents/<int:document>/revision/",
        assessment.evidence_new_revision,
        name="evidence_new_revision",
    ),
    path(
        "years/<int:year>/requirements/<slug:code>/documents/<int:document>/unlink/",
        assessment.evidence_unlink,
        name="evidence_unlink",
    ),
    path("evidence/<int:pk>/download/", assessment.evidence_download, name="evidence_download"),
    path("years/<int:year>/v<int:version>/assurance/", assurance.assurance_status, name="assurance_status"),
    path("years/<int:year>/v<int:version>/assurance.pdf", assurance.assurance_pdf, name="assurance_pdf"),
    path("years/<int:year>/v<int:version>/assurance.json", assurance.assurance_json, name="assurance_json"),
    path("years/<int:year>/v<int:version>/assurance-sent/", assurance.assurance_sent, name="assurance_sent"),
    path("verify/", assurance.assurance_verify, name="assurance_verify"),
    path("years/<int:year>/action-plan/", plan.action_plan, name="action_plan"),
    path("action-items/<int:pk>/", plan.action_item_edit, name="action_item_edit"),
    path("reports/", plan.report_list, name="report_list"),
    path("annual-meetings/", plan.annual_meeting_list, name="annual_meeting_list"),
    path("federation-sendings/", plan.federation_sending_list, name="federation_sending_list"),
]
