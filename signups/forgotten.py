"""The forgotten stay forgotten: what is kept of a person erased on request.

A spreadsheet made before someone asked to be forgotten still lists them;
importing it must not bring them back. So at erasure (signups.retention
volunteer_erase) the keyed hashes of their phone and email are kept here
(signups.contact_hash: the key lives outside the database, so a dump does
not give the contacts back), and the import refuses a row whose phone or
email hashes to one of them. Nothing else is kept: no name, no date, no
link to the audit log's anonymous id.
"""

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from signups.contact_hash import contact_hash


class ForgottenContact(models.Model):
    # HMAC-SHA256 hex of a phone (E.164) or an email (lower case).
    contact_hash = models.CharField(_("contact (keyed hash)"), max_length=64, unique=True)

    class Meta:
        app_label = "signups"
        verbose_name = _("forgotten contact")
        verbose_name_plural = _("forgotten contacts")
        default_permissions = ()

    def __str__(self):
        return self.contact_hash[:12]


def forgotten_contact_remember(*, volunteer):
    """Keep the hashes of `volunteer`'s phone and email (called inside the
    erase's transaction, before the row goes)."""
    for value in (volunteer.phone, volunteer.email):
        digest = contact_hash(value)
        if not digest:
            continue
        try:
            # A savepoint: the same contact forgotten twice (erased, signed up
            # again, erased again) must not break the erase's transaction.
            with transaction.atomic():
                ForgottenContact.objects.get_or_create(contact_hash=digest)
        except IntegrityError:
            pass


def forgotten_hashes(values):
    """The subset of keyed hashes of `values` (phones and emails) that
    belong to forgotten people; one query."""
    digests = {contact_hash(v) for v in values if v}
    digests.discard("")
    if not digests:
        return set()
    return set(
        ForgottenContact.objects.filter(contact_hash__in=digests).values_list("contact_hash", flat=True)
    )
