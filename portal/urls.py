"""The customer portal (S33): customers' tickets, one-time links, registration."""

from django.urls import URLPattern, URLResolver

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = []
