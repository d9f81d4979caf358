"""The local-economy pages' URL tree alone, mounted where ``commonweal/urls.py`` mounts it, for
naming their addresses without the rest of the site (see ``addresses``)."""

from django.urls import include, path

urlpatterns = [path("local-economy/", include("commonweal.cwb.urls"))]
