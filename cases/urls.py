from django.urls import path

from .views import cases, circumstances, lifecycle

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("new/", cases.case_create, name="case_create"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("<int:pk>/assign/", cases.case_assign, name="case_assign"),
    path("<int:pk>/assignments/<int:assignment_pk>/end/", cases.assignment_end, name="assignment_end"),
    path("<int:pk>/attempts/", cases.attempt_create, name="attempt_create"),
    path("<int:pk>/actions/", cases.action_create, name="action_create"),
    path("<int:pk>/actions/<int:action_pk>/delete/", cases.action_delete, name="action_delete"),
    path("<int:pk>/close/", cases.case_close, name="case_close"),
    path("<int:pk>/reopen/", cases.case_reopen, name="case_reopen"),
    path("circumstances/", circumstances.circumstance_list, name="circumstance_list"),
    path("circumstances/<int:pk>/", circumstances.circumstance_list, name="circumstance_edit"),
    path("notifications/", cases.notification_list, name="notification_list"),
    path("notifications/read/", cases.notification_read, name="notification_read"),
    path("first-contact/", cases.kpi, name="kpi"),
    path("<int:pk>/paper/", lifecycle.paper_create, name="paper_create"),
    path("<int:pk>/paper/<int:record_pk>/shredded/", lifecycle.paper_shredded, name="paper_shredded"),
    path("shredding/", lifecycle.shredding_list, name="shredding_list"),
    path("retention/", lifecycle.retention_preview, name="retention_preview"),
    path("<int:pk>/hold/", lifecycle.hold_create, name="hold_create"),
    path("holds/<int:pk>/release/", lifecycle.hold_release, name="hold_release"),
    path("<int:pk>/seeker-data/", lifecycle.seeker_data_archive, name="seeker_data_archive"),
    path("<int:pk>/seeker-data/download/", lifecycle.seeker_data_download, name="seeker_data_download"),
    path("<int:pk>/erase/", lifecycle.seeker_erase, name="seeker_erase"),
    path("<int:pk>/risk/", cases.risk_check_create, name="risk_check_create"),
    path("<int:pk>/risk/<int:check_pk>/urgent/", cases.risk_confirm_urgent, name="risk_confirm_urgent"),
]
