from django.urls import path

from . import duty_views, views

urlpatterns = [
    path("", views.month_view, name="calendar"),
    path("<int:year>/<int:month>/", views.month_view, name="calendar_month"),
    path("week/<int:year>/<int:week>/", views.week_view, name="calendar_week"),
    path("new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/edit/", views.appointment_edit, name="appointment_edit"),
    path("appointments/<int:pk>/delete/", views.appointment_delete, name="appointment_delete"),
    path("feed/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="calendar_feed"),
    path("phone/", duty_views.phone_page, name="phone_page"),
    path("phone/hours/", duty_views.phone_hours, name="phone_hours"),
    path("phone/closures/", duty_views.closure_add, name="phone_closure_add"),
    path("phone/closures/<int:pk>/remove/", duty_views.closure_remove, name="phone_closure_remove"),
    path("phone/forwarded/", duty_views.confirm_forwarded, name="phone_forwarded"),
    path("mailbox/read/", duty_views.confirm_mailbox, name="mailbox_read"),
]
