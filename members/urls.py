from . import board_views, people_views, volunteer_views

urlpatterns = [*people_views.urlpatterns, *volunteer_views.urlpatterns, *board_views.urlpatterns]
