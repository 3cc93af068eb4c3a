"""Keep ADMIN_URL secret from anyone outside the admin.

Django's @staff_member_required (the coverage map) sends an anonymous
visitor to "admin:login", so asking for /en/zones/map/ answered with the
admin's secret address. The admin's own login page only forwards to the
app's login anyway (signups/staff_auth.StaffAdminSite.login): this skips
that hop for every page outside the admin, whichever decorator made it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import NoReverseMatch, reverse


class HideAdminLoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (301, 302, 303, 307, 308) and not self._in_admin(request):
            if self._to_admin_login(response.get("Location", "")):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return response

    @staticmethod
    def _in_admin(request):
        return request.path_info.startswith("/" + settings.ADMIN_URL)

    @staticmethod
    def _to_admin_login(location):
        try:
            admin_login = reverse("admin:login")
        except NoReverseMatch:  # no admin installed
            return False
        return urlsplit(location).path == admin_login
