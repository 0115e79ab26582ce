from django.urls import path

from . import views

urlpatterns = [
    path("", views.report, name="statistics"),
    path("export.<str:fmt>", views.export, name="statistics_export"),
]
