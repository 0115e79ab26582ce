from django.contrib import admin
from django.urls import include, path

from .views import accounts, audit, language, login, system

urlpatterns = [
    path("", include("home.urls")),
    path("healthz", system.healthz, name="healthz"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("accounts/login/", login.login, name="login"),
    path("accounts/verify/", login.verify, name="verify"),
    path("accounts/enrol/", login.enrol, name="enrol"),
    path("accounts/logout/", login.logout, name="logout"),
    path("accounts/backup-codes/", login.backup_codes, name="backup_codes"),
    path("accounts/invitation/<str:token>/", login.invitation, name="invitation"),
    path("accounts/invitation/", login.invitation_password, name="invitation_password"),
    path("people/accounts/", accounts.account_list, name="account_list"),
    path("people/accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("people/accounts/<int:pk>/<slug:action>/", accounts.account_action, name="account_action"),
    path("people/invitations/<int:pk>/<slug:action>/", accounts.invitation_action, name="invitation_action"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("cases/", include("cases.urls")),
    path("people/", include("members.urls")),
    path("compliance/", include("compliance.urls")),
    path("calendar/", include("calendars.urls")),
    path("statistics/", include("stats.urls")),
    path("", include("partners.urls")),
    path("admin/", admin.site.urls),
]
