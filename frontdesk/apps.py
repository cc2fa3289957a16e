from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class FrontdeskConfig(AppConfig):
    """The project package as an app: it carries the `frontdesk` commands."""

    name = "frontdesk"
    verbose_name = "Frontdesk"

    def ready(self) -> None:
        from frontdesk import db  # noqa: F401 - connects the SQLite functions


class FrontdeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that signs in with the panel's second step."""

    # Named in INSTALLED_APPS; the app "frontdesk" keeps FrontdeskConfig.
    default = False
    default_site = "frontdesk.admin_site.FrontdeskAdminSite"
