"""Our fields an imported column can fill, and the guess from its header.

Headers come in English and Spanish, with or without accents, in any case,
often as a whole question ("¿Cuál es tu número de teléfono?", Google Forms):
a header is matched by the words in it, most specific field first.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (field, label, words that name it in a header), in the order the guess
# tries them: "consent date" must be taken before "consent", "ZIP code"
# before "address" ("Código postal de tu dirección").
FIELDS = [
    ("consent_date", _("Date of consent"), [
        "consent date", "date of consent", "fecha de consentimiento", "fecha del consentimiento",
        "timestamp", "marca temporal", "submitted at", "fecha de envio",
    ]),
    ("consent", _("Consent to be contacted"), [
        "consent", "consentimiento", "agree", "acepto", "aceptas", "autorizo", "permission",
        "permiso", "ok to contact", "contact me", "contactemos", "contactarte",
    ]),
    ("zip_code", _("ZIP code"), ["zip", "postal", "codigo postal", "cp"]),
    ("first_name", _("First name"), ["first name", "given name", "primer nombre", "nombre de pila"]),
    ("last_name", _("Last name"), ["last name", "surname", "family name", "apellido", "apellidos"]),
    ("email", _("Email"), ["email", "e-mail", "mail", "correo", "correo electronico"]),
    ("phone", _("Phone"), [
        "phone", "telephone", "cell", "mobile", "telefono", "celular", "movil", "whatsapp", "numero",
    ]),
    ("address", _("Street address"), [
        "address", "street", "direccion", "domicilio", "calle",
    ]),
    ("language", _("Preferred language"), ["language", "idioma", "lengua", "lenguaje"]),
    ("name", pgettext_lazy("person", "Name"), ["name", "nombre", "full name", "nombre completo"]),
]
FIELD_LABELS = {name: label for name, label, _words in FIELDS}
FIELD_NAMES = [name for name, _label, _words in FIELDS]
# The order the mapping page lists them in.
FIELD_ORDER = [
    "name", "first_name", "last_name", "phone", "email", "address", "zip_code", "language",
    "consent", "consent_date",
]


def header_words(text):
    """'¿Teléfono (celular)?' -> 'telefono celular': lower case, no accents,
    punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9@]+", " ", text).split())


def _names(header, words):
    padded = f" {header_words(header)} "
    return any(f" {word} " in padded for word in words)


def mapping_guess(headers):
    """{field: column index} for the columns whose header names a field;
    each field and each column used once, leftmost column first."""
    mapping = {}
    used = set()
    for name, _label, words in FIELDS:
        for index, header in enumerate(headers):
            if index not in used and header and _names(header, words):
                mapping[name] = index
                used.add(index)
                break
    # A form's submission time is the consent's date only beside a consent
    # question: alone, "Timestamp" says when, not that they agreed.
    if "consent_date" in mapping and "consent" not in mapping:
        if not _names(headers[mapping["consent_date"]], ["consent", "consentimiento"]):
            mapping.pop("consent_date")
    # "First name" and "Last name" both given: the full name is theirs.
    if "first_name" in mapping and "name" in mapping and "last_name" not in mapping:
        # A lone "first name" beside a "name" column is the name itself.
        mapping.pop("first_name")
    return mapping


def mapping_clean(raw, *, column_count):
    """The organizer's choices from the mapping page ({field: "index" or
    ""}) as {field: int}, dropping unknown fields and out-of-range columns."""
    mapping = {}
    for name in FIELD_NAMES:
        value = raw.get(name)
        if value in (None, ""):
            continue
        try:
            index = int(value)
        except (TypeError, ValueError):
            continue
        if 0 <= index < column_count:
            mapping[name] = index
    return mapping
