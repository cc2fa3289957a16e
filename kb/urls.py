"""The knowledge base's public pages (S37); staff edit articles in the panel."""

from django.urls import URLPattern, URLResolver

app_name = "kb"

urlpatterns: list[URLPattern | URLResolver] = []
