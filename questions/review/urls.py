from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.deck, name="deck"),
    path("start/", views.review_start, name="start"),
    path("search/", views.search, name="search"),
    path("bookmarks/<int:version_id>/", views.bookmark_set, name="bookmark"),
    path("export/mistakes.apkg", views.export_mistakes, name="export-mistakes"),
    path("export/<slug:slug>.apkg", views.export_set, name="export-set"),
]
