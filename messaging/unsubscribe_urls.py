"""/<lang>/unsubscribe/<token>/: the link of every email's List-Unsubscribe."""

from django.urls import path

from messaging import unsubscribe

app_name = "unsubscribe"
urlpatterns = [path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe")]
