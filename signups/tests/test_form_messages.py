"""The public forms' errors say `tú`, like the rest of the page."""

import pytest
from django.utils import translation

from signups.forms import JoinForm
from trainings.forms import RegistrationForm


@pytest.mark.parametrize("form_class", [JoinForm, RegistrationForm])
def test_a_too_long_name_is_refused_in_tu(form_class):
    with translation.override("es"):
        form = form_class(data={"name": "a" * 201})
        form.is_valid()
        errors = " ".join(str(e) for e in form.errors["name"])
    assert "Usa como máximo 200 caracteres (aquí hay 201)." in errors
    assert "Asegúrese" not in errors


def test_an_invalid_email_is_refused_in_tu():
    with translation.override("es"):
        form = JoinForm(data={"name": "Ana", "email": "not-an-email"})
        form.is_valid()
        errors = " ".join(str(e) for e in form.errors["email"])
    assert errors == "Escribe un correo electrónico válido, por ejemplo ana@example.com."


def test_a_forms_own_message_is_kept():
    with translation.override("es"):
        form = JoinForm(data={"name": "Ana"})
        form.is_valid()
        errors = [str(e) for e in form.errors["consent"]]
    assert errors == ["Solo podemos contactarte si estás de acuerdo."]


def test_a_missing_field_says_completa():
    with translation.override("es"):
        form = RegistrationForm(data={"consent": "on"})
        form.is_valid()
        errors = [str(e) for e in form.errors["name"]]
    assert errors == ["Completa este campo."]
