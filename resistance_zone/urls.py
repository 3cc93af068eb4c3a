"""Root URLs. Public pages live under a language prefix (/en/, /es/) because
URLs are printed on flyers and QR codes: the link itself says the language."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from signups import staff_auth
from signups import views as signup_views
from zones import views as zone_views

# Error pages that never read the request's body (signups/error_pages.py).
handler400 = "signups.error_pages.bad_request"
handler403 = "signups.error_pages.permission_denied"
handler404 = "signups.error_pages.page_not_found"
# The database going away is a 503, wherever it surfaces (signups/database_outage.py).
handler500 = "signups.database_outage.server_error"

urlpatterns = [
    path("", signup_views.choose_language, name="choose-language"),
    path("healthz", zone_views.healthz, name="healthz"),
    # A canvass packet's QR code: short, and in no language of its own.
    path("j/<int:block_id>", zone_views.join_block, name="join-block"),
    path("favicon.ico", signup_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Twilio's status callbacks and inbound messages (signed, messaging.webhooks).
    path("messaging/", include("messaging.webhook_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/verify/", staff_auth.verify, name="otp-verify"),
    path("login/enroll/", staff_auth.enroll, name="otp-enroll"),
    path("", include("signups.urls")),
    path("zones/", include("zones.urls")),
    path("", include("trainings.urls")),
    path("", include("canvass.urls")),
    # Rapid response: the dispatch pages and a verifier's one-time link.
    path("", include("response.urls")),
    # A person's own settings behind the link in every message (/me/<token>/).
    path("", include("messaging.urls")),
    # Every email's one-click unsubscribe (RFC 8058).
    path("", include("messaging.unsubscribe_urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=True,
)
