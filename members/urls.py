from django.urls import path

from .views import board, people, volunteers

urlpatterns = [
    path("", people.people_list, name="people_list"),
    path("export.csv", people.people_export, name="people_export"),
    path("new/", people.person_create, name="person_create"),
    path("<int:pk>/", people.person_detail, name="person_detail"),
    path("<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("<int:pk>/engagements/new/", people.engagement_create, name="engagement_create"),
    path("<int:pk>/engagements/<slug:kind>/<int:engagement_pk>/end/", people.engagement_end, name="engagement_end"),
    path("<int:pk>/erase/", people.person_erase, name="person_erase"),
    path("<int:pk>/login-access/", people.person_invite, name="person_invite"),
    path("<int:pk>/pledges/new/", people.pledge_create, name="pledge_create"),
    path("<int:pk>/pledges/<int:pledge_pk>/delete-scan/", people.pledge_scan_delete, name="pledge_scan_delete"),
    path("pledges/<int:pk>/scan/", people.pledge_download, name="pledge_download"),
    path("volunteers/", volunteers.volunteer_list, name="volunteer_list"),
    path("<int:pk>/volunteering/new/", volunteers.volunteer_create, name="volunteer_create"),
    path("volunteering/<int:pk>/edit/", volunteers.volunteer_edit, name="volunteer_edit"),
    path("supervision/", volunteers.supervision_list, name="supervision_list"),
    path("board/", board.board, name="board"),
    path("board/new/", board.board_term_create, name="board_term_create"),
    path("board/<int:pk>/end/", board.board_term_end, name="board_term_end"),
    path("federation-export/<slug:fmt>/", board.federation_export, name="federation_export"),
]
