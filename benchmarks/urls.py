"""The project's URLs plus /bench/bare/: `HttpResponse("ok")` through the full
middleware stack, the yardstick each endpoint's throughput is divided by."""

from django.http import HttpResponse
from django.urls import path

from resistance_zone.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
