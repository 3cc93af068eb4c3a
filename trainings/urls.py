from django.urls import path

from trainings.views import public, trainer

app_name = "trainings"
urlpatterns = [
    path("trainings/", public.session_list, name="list"),
    path("trainings/<int:pk>/", public.session_detail, name="session"),
    path("trainings/r/<str:token>/", public.registration_detail, name="registration"),
    path("trainings/r/<str:token>/calendar.ics", public.registration_ics, name="calendar"),
    path("trainings/r/<str:token>/cancel/", public.registration_cancel_view, name="cancel"),
    path("trainer/", trainer.trainer_home, name="trainer"),
    path("trainer/signed-out/", trainer.signed_out, name="signed-out"),
    path("trainer/sw.js", trainer.service_worker, name="service-worker"),
    path("trainer/sessions/<int:pk>/", trainer.roster, name="roster"),
    path("trainer/sessions/<int:pk>/check-in/", trainer.checkin, name="checkin"),
    path("trainer/sessions/<int:pk>/undo/", trainer.undo, name="undo"),
    path("trainer/sessions/<int:pk>/walk-in/", trainer.walk_in, name="walk-in"),
    path("trainer/sessions/<int:pk>/done/", trainer.mark_done, name="done"),
]
