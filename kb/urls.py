"""The knowledge base's public pages (S37); staff edit articles in the panel."""

from django.urls import path

from kb import views

app_name = "kb"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("category/<str:slug>/", views.category, name="category"),
    # The id finds the article; the slug is for people and follows the title.
    path("<int:pk>-<str:slug>/", views.article, name="article"),
]
