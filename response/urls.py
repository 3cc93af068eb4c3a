from django.urls import path

from response import views

app_name = "response"
urlpatterns = [
    path("dispatch/", views.home, name="home"),
    path("dispatch/new/", views.incident_new, name="new"),
    path("dispatch/<int:pk>/", views.incident_page, name="incident"),
    path("dispatch/<int:pk>/approve/", views.incident_approve_view, name="approve"),
    path("dispatch/<int:pk>/close/", views.incident_close_view, name="close"),
    # A verifier's one-time link (a bearer secret: signups.log_redaction).
    path("respond/<str:token>/", views.verifier_report, name="report"),
]
