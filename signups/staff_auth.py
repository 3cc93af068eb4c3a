"""Second factor for everyone who logs in (organizers, trainers, superusers).

The password alone never reaches a staff or trainer page: after it, the
person proves a code from an authenticator app (TOTP, django-otp) or spends
one of their backup codes. Someone without a device is sent to enroll first,
before anything else, by SecondFactorRequiredMiddleware.

Why everyone: a trainer sees the names of the people at their sessions, and
a stolen trainer password must not be enough to see them.
"""

import time
from urllib.parse import urlencode

import django_otp
from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
# Pages a logged-in person may reach before the second factor: the steps of
# logging in and out themselves, and what those pages load.
_OPEN_URL_NAMES = {
    "login", "logout", "otp-verify", "otp-enroll", "javascript-catalog",
    "set_language", "healthz",
}


# When this session last proved the second factor (seconds since the epoch),
# for pages that ask for it again: an unlocked laptop left on a church table
# must not hand out every volunteer's phone number hours later.
VERIFIED_AT_SESSION_KEY = "rz_otp_verified_at"
# How long a proof of the second factor is fresh enough to export people.
REVERIFY_AFTER_SECONDS = 15 * 60


def _unwrapped(user):
    while isinstance(user, LazyObject) and user._wrapped is not empty:
        user = user._wrapped
    return user


def has_device(user):
    return django_otp.user_has_device(user, confirmed=True)


class SecondFactorRequiredMiddleware:
    """Send a logged-in but not yet verified person to enroll (no device
    yet) or to enter a code, remembering where they were going."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._is_open(request):
            target = "otp-enroll" if not has_device(user) else "otp-verify"
            url = reverse(target)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(url)
        # Known by now on every request: the rest of it gets the user itself,
        # not django-otp's lazy wrapper around Django's. Each attribute read
        # through the two went through four proxy calls, about a hundred
        # per staff request.
        request.user = _unwrapped(user)
        return self.get_response(request)

    @staticmethod
    def _is_open(request):
        from django.conf import settings

        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 shows nothing
        return match.url_name in _OPEN_URL_NAMES


def _otp_login(request, device):
    django_otp.login(request, device)
    request.session[VERIFIED_AT_SESSION_KEY] = time.time()


def verified_recently(request, *, seconds=REVERIFY_AFTER_SECONDS):
    """Whether this session proved the second factor within `seconds`. A
    session verified before the time was recorded counts as not recent."""
    verified_at = request.session.get(VERIFIED_AT_SESSION_KEY)
    return (
        request.user.is_verified()
        and isinstance(verified_at, (int, float))
        and time.time() - verified_at < seconds
    )


def reverify_url(next_url):
    """The code page, asking for a fresh code even from a verified session,
    then going on to `next_url`."""
    return f"{reverse('otp-verify')}?{urlencode({'fresh': '1', 'next': next_url})}"


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    from django.conf import settings

    return resolve_url(settings.LOGIN_REDIRECT_URL)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip().lower()


def _totp_qr_svg(device):
    # Drawn here as inline SVG: the secret never goes to a QR-code service.
    # Imported here: segno is ~9 MB every web worker would carry for a page
    # each staff member sees once.
    import segno

    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", omitsize=False
    )


def _pending_totp(user):
    """The person's unconfirmed authenticator, made once and kept until they
    confirm it, so reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(
        user=user, name=gettext("Authenticator app"), confirmed=False
    )


@transaction.atomic
def _issue_backup_codes(user):
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
@sensitive_post_parameters("token")
def enroll(request):
    """Set up the authenticator app: scan the QR code, type a code to prove
    it works. Then the backup codes are shown, once."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if has_device(user):
        # Adding a device needs a verified session; a half-logged-in person
        # must not replace the owner's authenticator.
        return redirect(f"{reverse('otp-verify')}?{urlencode({'next': _safe_next(request)})}")
    device = _pending_totp(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _issue_backup_codes(user)
            _otp_login(request, device)
            # Rendered in this response only, never stored in the session.
            return render(
                request,
                "registration/otp_backup_codes.html",
                {"codes": codes, "next": _safe_next(request)},
            )
        form.add_error("token", gettext("That code did not match. Check the time on your phone and try the newest code."))
    return render(
        request,
        "registration/otp_enroll.html",
        {
            "form": form,
            "qr_svg": _totp_qr_svg(device),
            "secret": _spaced_base32(device),
            "next": _safe_next(request),
        },
    )


def _spaced_base32(device):
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@sensitive_post_parameters("token")
def verify(request):
    """Second step of logging in: a code from the app or a backup code."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_device(user):
        return redirect(f"{reverse('otp-enroll')}?{urlencode({'next': _safe_next(request)})}")
    # `fresh`: a page that wants a recent proof (an export) sent them here
    # although their session is verified.
    if user.is_verified() and not request.GET.get("fresh"):
        return HttpResponseRedirect(_safe_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Tries every confirmed device (app, then backup codes); devices
        # throttle repeated failures themselves.
        device = django_otp.match_token(user, form.cleaned_data["token"])
        if device is not None:
            _otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", gettext("That code did not work. Try the newest code from your app, or a backup code."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request)})


class StaffAdminSite(admin.AdminSite):
    """The admin for verified staff only; its login is the site's login."""

    site_header = _("Resistance Zone administration")
    site_title = _("Resistance Zone")
    index_title = _("Administration")

    def has_permission(self, request):
        # Trainers are staff (so they can be picked as trainers) but hold no
        # admin permission: the admin is not theirs at all.
        user = request.user
        return (
            super().has_permission(request)
            and user.is_verified()
            and (user.is_superuser or bool(user.get_all_permissions()))
        )

    def login(self, request, extra_context=None):
        # One login page for everyone: the language-prefixed one with the
        # lockout and the second factor behind it.
        from django.conf import settings

        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, settings.LOGIN_URL)
