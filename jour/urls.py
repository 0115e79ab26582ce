from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import login_views, views
from .access import public

urlpatterns = [
    path("", include("home.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/login/", login_views.login, name="login"),
    path("accounts/verify/", login_views.verify, name="verify"),
    path("accounts/enrol/", login_views.enrol, name="enrol"),
    path("accounts/logout/", login_views.logout, name="logout"),
    path("accounts/backup-codes/", login_views.backup_codes, name="backup_codes"),
    path("accounts/invitation/<str:token>/", login_views.invitation, name="invitation"),
    path("accounts/invitation/", login_views.invitation_password, name="invitation_password"),
    path("people/accounts/", views.account_list, name="account_list"),
    path("people/accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("people/accounts/<int:pk>/<slug:action>/", views.account_action, name="account_action"),
    path("people/invitations/<int:pk>/<slug:action>/", views.invitation_action, name="invitation_action"),
    path("audit/", views.audit_log, name="audit_log"),
    path("cases/", include("cases.urls")),
    path("people/", include("members.urls")),
    path("compliance/", include("compliance.urls")),
    path("calendar/", include("calendars.urls")),
    path("statistics/", include("stats.urls")),
    path("", include("partners.urls")),
    path("admin/", admin.site.urls),
]
