"""Strings of Django 6.1's admin that its own Spanish catalog leaves in
English ("Run" on the action bar, "- Select an option -" in every select,
the search and pagination labels read by screen readers, the delete
confirmations). Organizers working in Spanish saw them on every list.

Marked here only so that makemessages puts them in our catalog, which Django
reads before its own (LOCALE_PATHS comes first). Nothing imports this
module. When a Django release translates them, delete the lines.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_61_ADMIN_SPANISH_GAPS = (
    gettext_noop("- Select an option -"),
    gettext_noop("Run"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Logout"),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting "
        "the following protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? "
        "All of the following related items will be deleted:"
    ),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
)

# Not gaps but slips in Django's Spanish, corrected for the same reason:
# "Si, estoy seguro" lacks its accent, and "p.m." is written "p. m." in
# Spanish (our 12-hour times, formats/es/formats.py, show it on every page).
DJANGO_61_SPANISH_SLIPS = (
    gettext_noop("Yes, I’m sure"),
    gettext_noop("a.m."),
    gettext_noop("p.m."),
)
