"""The customer portal (S33): customers' tickets, one-time links, registration."""

from django.urls import path

from portal.views import home

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("logo/", home.logo, name="logo"),
]
