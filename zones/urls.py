from django.urls import path

from zones import views

app_name = "zones"
urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.zone_map, name="map_all"),
    path("blocks.geojson", views.blocks_geojson, name="all_blocks_geojson"),
    path("<slug:slug>/map/", views.zone_map, name="map"),
    path("<slug:slug>/blocks.geojson", views.blocks_geojson, name="blocks_geojson"),
]
