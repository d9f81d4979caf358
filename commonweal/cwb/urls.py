from django.urls import URLPattern, URLResolver

app_name = "cwb"

urlpatterns: list[URLPattern | URLResolver] = []
