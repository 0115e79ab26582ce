from django.urls import path

from . import views

urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_edit, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("routines/", views.routine_list, name="routine_list"),
    path("routines/new/", views.routine_edit, name="routine_create"),
    path("routines/<int:pk>/", views.routine_detail, name="routine_detail"),
    path("routines/<int:pk>/edit/", views.routine_edit, name="routine_edit"),
    path("routines/<int:pk>/confirm/", views.routine_confirm, name="routine_confirm"),
    path("cases/<int:pk>/referrals/", views.referral_create, name="referral_create"),
    path("cases/<int:pk>/routine/<int:step_pk>/<slug:action>/", views.routine_step, name="routine_step"),
]
