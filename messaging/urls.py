"""The self-service pages, under the language prefix (/<lang>/me/…). The
token in /me/<token>/ is a bearer secret: signups.log_redaction and
deploy/nginx.conf cut it out of every log."""

from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("me/<str:token>/", views.self_service, name="self_service"),
    path("me/<str:token>/forget/", views.self_service_forget, name="self_service_forget"),
    path("my-link/", views.link_request, name="link_request"),
    path("my-link/sent/", views.link_sent, name="link_sent"),
    path("forgotten/", views.forgotten, name="forgotten"),
]
