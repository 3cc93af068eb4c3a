from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from signups.models import Campaign


@require_GET
def choose_language(request):
    """`/` (printed on flyers): the language remembered from a last visit,
    else the best match among the browser's languages."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language_from_request(request, check_path=False)
    return redirect(f"/{language}/")


@require_GET
def landing(request):
    campaign = Campaign.objects.filter(is_open=True).first()
    return render(request, "signups/landing.html", {"campaign": campaign})


def join(request):
    return render(request, "signups/join.html", {})
