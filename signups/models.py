"""People: campaigns and the volunteers who sign up through them.

What we never collect, on purpose: immigration status, date of birth, any ID
number. The people in this table may be undocumented.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zones.models import Block, in_active_language, refresher_resident_q, trained_resident_q


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    BOTH = "both", _("English and Spanish")


class ContactMethod(models.TextChoices):
    CALL = "call", _("Phone call")
    TEXT = "text", _("Text message")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")


class MessageKind(models.TextChoices):
    """The kinds of messages a person consents to one by one (messaging
    sends them; signups keeps the answer, since its forms ask)."""

    REMINDER = "reminder", _("Training reminders")
    NEWS = "news", _("Campaign news")
    URGENT = "urgent", _("Urgent alerts near you")


# What a consent given before kinds existed meant: reminders and news.
MESSAGE_KINDS_BY_DEFAULT = [MessageKind.REMINDER.value, MessageKind.NEWS.value]


def message_kinds_by_default():
    return list(MESSAGE_KINDS_BY_DEFAULT)


class WayToHelp(models.TextChoices):
    GET_TRAINED = "get_trained", _("Get trained on my rights")
    HOST_TRAINING = "host_training", _("Host a training")
    KNOCK_DOORS = "knock_doors", _("Knock on doors on my block")
    BLOCK_CAPTAIN = "block_captain", _("Become a block captain")
    INTERPRET = "interpret", _("Interpret")
    LEGAL_OBSERVER = "legal_observer", _("Be a legal observer")
    FOOD_CHILDCARE = "food_childcare", _("Food or childcare")
    RAPID_RESPONSE = "rapid_response", _("Join the rapid response network")


class Availability(models.TextChoices):
    SATURDAY_MORNING = "sat_am", _("Saturday morning")
    SATURDAY_AFTERNOON = "sat_pm", _("Saturday afternoon")
    SUNDAY_MORNING = "sun_am", _("Sunday morning")
    SUNDAY_AFTERNOON = "sun_pm", _("Sunday afternoon")


class Campaign(models.Model):
    """A sign-up drive, such as the launch weekend."""

    slug = models.SlugField(_("short name"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_open = models.BooleanField(_("open for sign-ups"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    name = in_active_language("name")

    intro = in_active_language("intro")


class VolunteerQuerySet(models.QuerySet):
    def trained(self, *, now=None):
        return self.filter(trained_resident_q(now=now))

    def needing_refresher(self, *, now=None):
        return self.filter(refresher_resident_q(now=now))

    def accepting(self, kind):
        """People who agreed to messages of `kind` (MessageKind)."""
        return self.filter(message_kinds__icontains=f'"{kind}"')

    def offering(self, way_to_help):
        # The JSON list is stored as text on SQLite and jsonb on PostgreSQL;
        # a quoted code matches one element on both without a JSON operator.
        return self.filter(ways_to_help__icontains=f'"{way_to_help}"')


class Volunteer(models.Model):
    """One record per person, found again by phone or email so that a repeat
    sign-up updates instead of duplicating."""

    class Source(models.TextChoices):
        FORM = "form", pgettext_lazy("source", "Sign-up form")
        WALK_IN = "walk_in", pgettext_lazy("source", "Walk-in at a training")
        ADMIN = "admin", pgettext_lazy("source", "Entered by an organizer")
        IMPORT = "import", pgettext_lazy("source", "Import")

    # One field: Spanish double surnames and single names both fit.
    name = models.CharField(_("name"), max_length=200)
    # E.164 ("+12155550123") or empty; unique when present.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Stored lower-cased, so uniqueness is case-insensitive.
    email = models.EmailField(_("email"), max_length=254, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=4, choices=Language, default=Language.ENGLISH
    )
    contact_methods = models.JSONField(_("how to contact"), default=list, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("consent wording version"), max_length=20)
    # Which kinds of messages (MessageKind) the person agreed to receive. An
    # empty list: contact kept, but no reminder, news or alert reaches them
    # (an imported row without consent). Messages they asked for themselves
    # (a link, a confirmation) need no kind.
    message_kinds = models.JSONField(_("messages agreed to"), default=message_kinds_by_default, blank=True)
    block = models.ForeignKey(
        Block,
        verbose_name=_("block"),
        related_name="residents",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    # Only kept when settings.KEEP_STREET_ADDRESSES is on.
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    address_withheld = models.BooleanField(_("preferred not to give an address"), default=False)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    ways_to_help = models.JSONField(_("ways to help"), default=list, blank=True)
    weekend_availability = models.JSONField(
        _("launch-weekend availability"), default=list, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.FORM)
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("campaigns"), related_name="volunteers", blank=True
    )
    notes = models.TextField(_("organizer notes"), blank=True)
    # Kept by the training services from attendance (see zones.models
    # trained_resident_q): when the person was first trained, and until when
    # that training is current (empty = for good).
    trained_at = models.DateTimeField(_("trained since"), null=True, blank=True)
    trained_until = models.DateTimeField(_("training current until"), null=True, blank=True)
    last_contacted_at = models.DateTimeField(_("last contacted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-created_at"]
        permissions = [
            ("view_unzoned_volunteer", _("Can see volunteers who belong to no zone")),
        ]
        constraints = [
            # The database has the last word on duplicates: two racing
            # submissions of the same phone or email cannot both insert.
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="volunteer_unique_phone"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="volunteer_unique_email"
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="volunteer_has_phone_or_email"
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"]),
            # A sign-up finds the person by phone or by email in any case
            # (email__iexact, UPPER(email) on PostgreSQL): without this index
            # that was a scan of every volunteer, 17 ms at 50,000, on every
            # sign-up and walk-in.
            models.Index(Upper("email"), name="volunteer_email_upper_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_trained(self):
        now = timezone.now()
        return self.trained_at is not None and (
            self.trained_until is None or self.trained_until > now
        )

    @property
    def needs_refresher(self):
        return self.trained_at is not None and self.trained_until is not None and (
            self.trained_until <= timezone.now()
        )



class PendingChange(models.Model):
    """Answers of an unverified form post that would replace what we know of
    a volunteer (their name, language, block, ZIP, phone or email, or fewer
    ways to contact them).

    Anyone who knows a neighbor's phone number can post it in a form, so
    such answers wait here until an organizer of the person's zone accepts
    them in the admin, or the person confirms them through the one-time
    link emailed to the address on file (signups.pending). Answers that only
    add to the record are merged at once and never wait here. One per
    volunteer: a newer post replaces the older one and its link."""

    volunteer = models.OneToOneField(
        Volunteer, verbose_name=_("volunteer"), related_name="pending_change", on_delete=models.CASCADE
    )
    # {field name: new value}; a block as its primary key.
    changes = models.JSONField(_("proposed answers"), default=dict)
    source = models.CharField(_("source"), max_length=10, choices=Volunteer.Source, default=Volunteer.Source.FORM)
    # SHA-256 of the one-time link's secret: the link itself is only in the
    # email, so a copy of the database opens no one's confirmation page.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["token_hash"])]

    def __str__(self):
        return str(self.volunteer)


# The audit log lives in its own module; imported here so Django sees the model.
from signups.audit import AuditEntry  # noqa: E402, F401



# Kept at erasure, and the uploads being imported: their own modules.
from signups.forgotten import ForgottenContact  # noqa: E402, F401
from signups.importing.models import ImportJob  # noqa: E402, F401
