from django.urls import path

from . import plan_views, views

urlpatterns = [
    path("requirements/", views.requirement_list, name="requirement_list"),
    path("years/", views.assessment_list, name="assessment_list"),
    path("years/<int:year>/", views.assessment_detail, name="assessment_detail"),
    path("years/<int:year>/ready/", views.assessment_ready, name="assessment_ready"),
    path("years/<int:year>/sign/", views.assessment_sign, name="assessment_sign"),
    path("years/<int:year>/new-version/", views.assessment_new_version, name="assessment_new_version"),
    path("years/<int:year>/requirements/<slug:code>/", views.answer_edit, name="answer_edit"),
    path("years/<int:year>/requirements/<slug:code>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("years/<int:year>/requirements/<slug:code>/link/", views.evidence_link, name="evidence_link"),
    path(
        "years/<int:year>/requirements/<slug:code>/documents/<int:document>/revision/",
        views.evidence_new_revision,
        name="evidence_new_revision",
    ),
    path(
        "years/<int:year>/requirements/<slug:code>/documents/<int:document>/unlink/",
        views.evidence_unlink,
        name="evidence_unlink",
    ),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("years/<int:year>/v<int:version>/assurance/", views.assurance_status, name="assurance_status"),
    path("years/<int:year>/v<int:version>/assurance.pdf", views.assurance_pdf, name="assurance_pdf"),
    path("years/<int:year>/v<int:version>/assurance.json", views.assurance_json, name="assurance_json"),
    path("verify/", views.assurance_verify, name="assurance_verify"),
    path("years/<int:year>/action-plan/", plan_views.action_plan, name="action_plan"),
    path("action-items/<int:pk>/", plan_views.action_item_edit, name="action_item_edit"),
    path("reports/", plan_views.report_list, name="report_list"),
]
