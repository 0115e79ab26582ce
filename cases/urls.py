from django.urls import path

from . import lifecycle_views, views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("<int:pk>/assignments/<int:assignment_pk>/end/", views.assignment_end, name="assignment_end"),
    path("<int:pk>/attempts/", views.attempt_create, name="attempt_create"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("first-contact/", views.kpi, name="kpi"),
    path("<int:pk>/paper/", lifecycle_views.paper_create, name="paper_create"),
    path("<int:pk>/paper/<int:record_pk>/shredded/", lifecycle_views.paper_shredded, name="paper_shredded"),
    path("shredding/", lifecycle_views.shredding_list, name="shredding_list"),
    path("retention/", lifecycle_views.retention_preview, name="retention_preview"),
    path("<int:pk>/hold/", lifecycle_views.hold_create, name="hold_create"),
    path("holds/<int:pk>/release/", lifecycle_views.hold_release, name="hold_release"),
    path("<int:pk>/seeker-data.<slug:fmt>", lifecycle_views.seeker_data_export, name="seeker_data_export"),
    path("<int:pk>/erase/", lifecycle_views.seeker_erase, name="seeker_erase"),
    path("<int:pk>/risk/", views.risk_check_create, name="risk_check_create"),
    path("<int:pk>/risk/<int:check_pk>/urgent/", views.risk_confirm_urgent, name="risk_confirm_urgent"),
]
