from django.urls import path

from . import views

urlpatterns = [
    path("requirements/", views.requirement_list, name="requirement_list"),
]
