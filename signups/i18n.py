"""Language by URL, remembered.

Every public page lives under /en/ or /es/. The switcher links to the same
page in the other language, and the language of the last page served is
remembered in a cookie so that `/` (printed on flyers) sends a returning
neighbor back to it.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

# Each language named in itself, so a Spanish speaker on the English page
# still recognizes "Español".
AUTONYMS = {"en": "English", "es": "Español"}


def language_links(request):
    current = translation.get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {
                "code": code,
                "label": AUTONYMS.get(code, code),
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ]
    }


class RememberLanguageMiddleware:
    """Set the language cookie to the language a prefixed URL chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        chosen = getattr(request, "LANGUAGE_CODE", None)
        prefix = request.path_info.split("/")[1] if request.path_info.count("/") > 1 else ""
        if (
            prefix in dict(settings.LANGUAGES)
            and prefix == chosen
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
