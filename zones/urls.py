from django.urls import path

app_name = "zones"
urlpatterns = []
