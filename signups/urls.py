from django.urls import path

from signups import signup_table, views

app_name = "signups"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("join/", views.join, name="join"),
    path("join/thanks/", views.thanks, name="thanks"),
    path("join/confirm/<str:token>/", views.confirm_changes, name="confirm_changes"),
    path("signup-table/", signup_table.signup_table, name="signup_table"),
    path("signup-table/<str:token>/", signup_table.signup_table_open, name="signup_table_open"),
]
