"""The admin, behind the same two-factor login as every staff page.

Installed in INSTALLED_APPS in place of "django.contrib.admin" (Django's
documented way to swap the default site), so every app's admin.register()
lands on StaffAdminSite without knowing about it.
"""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "signups.staff_auth.StaffAdminSite"
