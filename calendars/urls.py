from django.urls import path

from .views import calendar, duty, places, witness

urlpatterns = [
    path("", calendar.month_view, name="calendar"),
    path("<int:year>/<int:month>/", calendar.month_view, name="calendar_month"),
    path("week/<int:year>/<int:week>/", calendar.week_view, name="calendar_week"),
    path("new/", calendar.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/", calendar.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/edit/", calendar.appointment_edit, name="appointment_edit"),
    path("appointments/<int:pk>/delete/", calendar.appointment_delete, name="appointment_delete"),
    path("feed/", calendar.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", calendar.feed, name="calendar_feed"),
    path("places/", places.place_list, name="place_list"),
    path("places/<int:pk>/", places.place_list, name="place_edit"),
    path("phone/", duty.phone_page, name="phone_page"),
    path("phone/hours/", duty.phone_hours, name="phone_hours"),
    path("phone/closures/", duty.closure_add, name="phone_closure_add"),
    path("phone/closures/<int:pk>/remove/", duty.closure_remove, name="phone_closure_remove"),
    path("phone/forwarded/", duty.confirm_forwarded, name="phone_forwarded"),
    path("mailbox/read/", duty.confirm_mailbox, name="mailbox_read"),
    path("witness-support/", witness.witness_list, name="witness_support_list"),
    path("witness-support/new/", witness.witness_create, name="witness_support_create"),
    path("witness-support/<int:pk>/", witness.witness_edit, name="witness_support_edit"),
    path("witness-support/<int:pk>/delete/", witness.witness_delete, name="witness_support_delete"),
]
