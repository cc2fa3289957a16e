from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from frontdesk import sign_in, views

# The admin site signs in under the same limits as /login/.
admin.site.login_form = sign_in.AdminSignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=sign_in.SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("panel/", include("panel.urls")),
    path("admin/", admin.site.urls),
]
