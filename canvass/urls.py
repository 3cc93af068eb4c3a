from django.urls import path

from canvass import views

app_name = "canvass"
urlpatterns = [
    path("canvass/", views.home, name="home"),
    path("canvass/tally/", views.tally, name="tally"),
    path("canvass/note/", views.note, name="note"),
    path("canvass/claim/", views.claim, name="claim"),
    path("canvass/pause/", views.pause, name="pause"),
    path("canvass/signed-out/", views.signed_out, name="signed-out"),
    path("canvass/sw.js", views.service_worker, name="service-worker"),
]
