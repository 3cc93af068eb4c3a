"""The Spanish reads as one voice: the same word for the same thing, and `tú`
on everything a neighbor or a trainer reads.

Public pages, emails, texts and trainer tools say `tú` ("Inscríbete",
"tu dirección"); only Django's own admin strings say `usted`. A page that
mixes both reads like two organizations wrote it, so a `usted` form in a
public template, or in the Spanish of a string such a template or a public
form uses, fails here."""

import re
from pathlib import Path

import polib
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOG = BASE / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _catalog():
    return [e for e in polib.pofile(str(CATALOG)) if not e.obsolete]


def _spanish(entry):
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


def test_the_catalog_calls_the_event_a_taller():
    # "capacitación" named the event in 14 entries and "taller" in 19; the
    # status keeps "capacitado/a" ("vecino capacitado", "Sin capacitar").
    offenders = [
        (e.msgid, text)
        for e in _catalog()
        for text in _spanish(e)
        if re.search(r"capacitaci[oó]n", text, re.IGNORECASE)
    ]
    assert offenders == []


def test_the_status_keeps_capacitado():
    texts = {e.msgid: e.msgstr for e in _catalog()}
    assert texts["trained since"] == "capacitado desde"
    assert texts["Not trained"] == "Sin capacitar"


# "sesión" stays for logging in and out; the training a trainer runs is a
# taller, so "Cerrar sesión" never sits next to "Marcar esta sesión...".
_LOGIN_SESSION = re.compile(
    r"(cerrar|inicia|iniciar|inicio de|inician|cerraste la) sesión|sesión cerrada", re.IGNORECASE
)


def _catalog_js():
    return [e for e in polib.pofile(str(CATALOG.with_name("djangojs.po"))) if not e.obsolete]


def test_sesion_means_only_a_login():
    offenders = [
        text
        for e in _catalog() + _catalog_js()
        for text in _spanish(e)
        if re.search(r"sesi[oó]n", _LOGIN_SESSION.sub("", text), re.IGNORECASE)
    ]
    assert offenders == []


def test_spanish_writes_language_names_and_weekdays_in_lower_case_mid_sentence():
    from django.utils import translation
    from django.utils.translation import pgettext

    from signups.views import LANGUAGE_IN_A_SENTENCE

    with translation.override("es"):
        # "en el idioma que elegiste (español)", "Equipo 1 (sábado)"
        assert str(LANGUAGE_IN_A_SENTENCE["es"]) == "español"
        assert pgettext("canvass day", "Saturday") == "sábado"
    with translation.override("en"):
        assert str(LANGUAGE_IN_A_SENTENCE["es"]) == "Spanish"


# `usted` forms that have shown up beside our `tú` (Django's own Spanish
# says "Introduzca", "Asegúrese", "Escoja").
USTED = re.compile(
    r"\busted(es)?\b|\bsu dirección\b|\bIngrese\b|\bEscriba\b|\bAsegúrese\b|\bHaga clic\b"
    r"|\bIntroduzca\b|\bpor favor ingrese\b|\bSeleccione\b|\bEscoja\b|\bElija\b|\bInscríbase\b"
    r"|\bRegrese\b|\bVuelva\b|\bIntente\b|\bconfirme\b",
    re.IGNORECASE,
)
# What a neighbor or a trainer reads: public pages, emails, trainer tools,
# and the public forms' Python strings. The admin's own templates say usted.
PUBLIC_SOURCES = ("signups/templates/signups/", "trainings/templates/trainings/", "templates/",
                  "signups/forms.py", "signups/form_messages.py", "trainings/forms.py")


def _is_public(path):
    return path.startswith(PUBLIC_SOURCES) and "/admin/" not in path and not path.startswith("templates/admin/")


def _public_templates():
    for folder in ("signups/templates", "trainings/templates", "templates"):
        for path in (BASE / folder).rglob("*"):
            relative = str(path.relative_to(BASE))
            if path.suffix in (".html", ".txt") and _is_public(relative):
                yield relative, path


def test_public_templates_have_no_usted_forms():
    offenders = [
        (relative, match.group(0))
        for relative, path in _public_templates()
        for match in USTED.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_spanish_of_public_strings_says_tu():
    offenders = [
        (e.msgid, text)
        for e in _catalog()
        if any(_is_public(path) for path, _line in e.occurrences)
        for text in _spanish(e)
        if USTED.search(text)
    ]
    assert offenders == []


def test_the_usted_check_catches_django_style_messages():
    for text in ("Asegúrese de que este valor tenga menos de 200 caracteres.",
                 "Introduzca una dirección de correo electrónico válida.",
                 "Escriba su dirección."):
        assert USTED.search(text)
    assert not USTED.search("Escribe tu dirección y revisa el número de casa.")
