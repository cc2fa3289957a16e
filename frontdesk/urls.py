from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.v1 import api as api_v1
from frontdesk import errors, second_step, sign_in, views, welcome

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        second_step.SignInView.as_view(
            authentication_form=sign_in.SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("login/code/", second_step.code, name="sign_in_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Staff change their password in the panel; customers here.
    path("password/", views.password_change, name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # A new staff member's first password, from the link of their invitation.
    path("welcome/<uidb64>/<token>/", welcome.ChooseFirstPassword.as_view(), name="welcome"),
    path("panel/", include("panel.urls")),
    path("portal/", include("portal.urls")),
    path("kb/", include("kb.urls")),
    # The REST API (api/v1.py): bearer tokens, its own errors, no sessions.
    path("api/v1/", api_v1.urls),
    # frontdesk/admin_site.py: signing in there takes the same limits and steps.
    path("admin/", admin.site.urls),
]

# Pages in the product's look, rendered without the database (frontdesk/errors.py).
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
