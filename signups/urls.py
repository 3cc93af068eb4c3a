from django.urls import path

from signups import views

app_name = "signups"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("join/", views.join, name="join"),
    path("join/thanks/", views.thanks, name="thanks"),
    path("join/confirm/<str:token>/", views.confirm_changes, name="confirm_changes"),
]
