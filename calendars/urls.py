from django.urls import path

from .views import calendar, duty, places

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
]
