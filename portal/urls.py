"""The customer portal (S33): customers' tickets, one-time links, registration."""

from django.urls import path

from portal.views import (
    attachments,
    encryption,
    home,
    links,
    password,
    preferences,
    rating,
    registration,
    tickets,
    viewing_as,
)

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("logo/", home.logo, name="logo"),
    path("encryption-key/", encryption.key_page, name="encryption_key"),
    path("encryption-key.asc", encryption.key_file, name="encryption_key_file"),
    path("tickets/new/", tickets.new_ticket, name="new_ticket"),
    path("tickets/<int:number>/", tickets.ticket_page, name="ticket"),
    path("tickets/<int:number>/reply/", tickets.reply, name="reply"),
    path("tickets/<int:number>/close/", tickets.close, name="close"),
    path("attachments/<int:pk>/", attachments.download, name="attachment"),
    path("view-as/end/", viewing_as.end, name="view_as_end"),
    # Language and time zone: the switcher of every page, and My settings.
    path("language/", preferences.choose_language, name="language"),
    path("settings/", preferences.my_settings, name="settings"),
    # Identity: one-time links from mail, password reset, registration.
    path("link/<str:token>/", links.open_link, name="link"),
    path("link/<str:token>/fresh/", links.fresh_link, name="fresh_link"),
    path("rating/<str:token>/", rating.rate, name="rating"),
    path("password/reset/", password.ResetRequest.as_view(), name="password_reset"),
    path("password/reset/sent/", password.ResetSent.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        password.ResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        password.ResetComplete.as_view(),
        name="password_reset_complete",
    ),
    path("register/", registration.register, name="register"),
    path("register/verify/<str:token>/", registration.verify, name="register_verify"),
]
