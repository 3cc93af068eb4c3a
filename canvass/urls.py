from django.urls import path

from canvass import progress_views, views

app_name = "canvass"
urlpatterns = [
    path("canvass/", views.home, name="home"),
    path("canvass/tally/", views.tally, name="tally"),
    path("canvass/note/", views.note, name="note"),
    path("canvass/claim/", views.claim, name="claim"),
    path("canvass/pause/", views.pause, name="pause"),
    path("canvass/signed-out/", views.signed_out, name="signed-out"),
    path("canvass/sw.js", views.service_worker, name="service-worker"),
    # The staff map's state layer (canvass.progress_views).
    path("canvass/states.json", progress_views.block_states_json, name="all_block_states"),
    path("canvass/zones/<slug:slug>/states.json", progress_views.block_states_json, name="block_states"),
]
