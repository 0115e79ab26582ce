from django.urls import path

from . import views

urlpatterns = [
    path("", views.report, name="statistics"),
    path("export.<str:fmt>", views.export, name="statistics_export"),
    path("federation/", views.federation_report, name="federation_statistics"),
    path("federation/export.<str:fmt>", views.federation_export, name="federation_statistics_export"),
]
