from django.urls import path

from commonweal.demo import views

app_name = "demo"

urlpatterns = [
    path("local-economy/imports/demo-file/", views.spend_file, name="spend-file"),
]
