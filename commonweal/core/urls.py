from django.urls import path

from commonweal.core import views

app_name = "core"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
