from django.urls import path

app_name = "trainings"
urlpatterns = []
