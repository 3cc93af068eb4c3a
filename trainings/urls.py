from django.urls import path

from trainings import views

app_name = "trainings"
urlpatterns = [
    path("trainings/", views.session_list, name="list"),
    path("trainings/<int:pk>/", views.session_detail, name="session"),
    path("trainings/r/<str:token>/", views.registration_detail, name="registration"),
    path("trainings/r/<str:token>/calendar.ics", views.registration_ics, name="calendar"),
    path("trainings/r/<str:token>/cancel/", views.registration_cancel_view, name="cancel"),
    path("trainer/", views.trainer_home, name="trainer"),
    path("trainer/signed-out/", views.signed_out, name="signed-out"),
    path("trainer/sw.js", views.service_worker, name="service-worker"),
    path("trainer/sessions/<int:pk>/", views.roster, name="roster"),
    path("trainer/sessions/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("trainer/sessions/<int:pk>/undo/", views.undo, name="undo"),
    path("trainer/sessions/<int:pk>/walk-in/", views.walk_in, name="walk-in"),
    path("trainer/sessions/<int:pk>/done/", views.mark_done, name="done"),
]
