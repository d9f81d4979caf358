from django.urls import path

from commonweal.home import views

app_name = "home"

urlpatterns = [path("", views.home, name="home")]
