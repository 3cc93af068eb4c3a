"""Trainings: what is taught (Topic), when and where (Session), who said they
would come (Registration) and who was there (Attendance).

Attendance is the one source of a neighbor's trained status: the services
derive Volunteer.trained_at / trained_until from it (see
trainings.services.volunteer_training_status_refresh), and coverage reads
those two fields.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from signups.models import Volunteer
from zones.models import Zone, in_active_language

# A roster longer than this hides every name until two letters are typed,
# unless the organizer decided otherwise for the session.
PRIVATE_ROSTER_THRESHOLD = 30


class Topic(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    counts_as_training = models.BooleanField(
        _("attending makes someone a trained neighbor"), default=True
    )
    valid_for_months = models.PositiveSmallIntegerField(
        _("months the training stays current"),
        null=True,
        blank=True,
        help_text=_("Leave blank if the training never needs a refresher."),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_for_months__isnull=True) | Q(valid_for_months__gte=1),
                name="topic_valid_for_at_least_a_month",
            )
        ]

    def __str__(self):
        return self.name

    name = in_active_language("name")

    description = in_active_language("description")


class SessionQuerySet(models.QuerySet):
    def upcoming(self, *, now=None):
        """Scheduled sessions that have not ended yet, soonest first."""
        now = now or timezone.now()
        return self.filter(status=Session.Status.SCHEDULED, ends_at__gt=now).order_by("starts_at")

    def for_trainer(self, user):
        return self.filter(trainers=user)

    def with_counts(self):
        """Annotate registered, waitlisted and checked-in counts and seats left
        in the query that lists the sessions (subqueries, so the counts do not
        multiply each other through the joins)."""
        registered = (
            Registration.objects.filter(session=models.OuterRef("pk"), status=Registration.Status.REGISTERED)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        waitlisted = (
            Registration.objects.filter(session=models.OuterRef("pk"), status=Registration.Status.WAITLISTED)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        attended = (
            Attendance.objects.active()
            .filter(session=models.OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        zero = models.Value(0)
        return self.annotate(
            registered_count=models.functions.Coalesce(models.Subquery(registered), zero),
            waitlist_count=models.functions.Coalesce(models.Subquery(waitlisted), zero),
            attended_count=models.functions.Coalesce(models.Subquery(attended), zero),
        ).annotate(
            seats_left=models.functions.Greatest(F("capacity") - F("registered_count"), zero)
        )


class Session(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")
        BILINGUAL = "bilingual", _("Bilingual (English and Spanish)")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("session status", "Scheduled")
        CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")
        DONE = "done", pgettext_lazy("session status", "Done")

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), related_name="sessions", on_delete=models.PROTECT
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    language = models.CharField(
        _("language"), max_length=10, choices=Language, default=Language.BILINGUAL
    )
    location_name_en = models.CharField(
        _("place (English)"), max_length=200, help_text=_("Shown publicly, e.g. the name of a church hall.")
    )
    # A Spanish page said "St. Thomas parish hall": the place's name as the
    # neighbors say it, when it has one ("Salón parroquial de Santo Tomás").
    location_name_es = models.CharField(
        _("place (Spanish)"), max_length=200, blank=True, help_text=_("Leave empty to show the English name.")
    )
    neighborhood = models.CharField(_("neighborhood"), max_length=120, help_text=_("Shown publicly."))
    # Only people who registered see this (confirmation page, calendar file,
    # reminder): a public list of where neighbors meet is a risk to them.
    address = models.CharField(
        _("exact address"), max_length=250, help_text=_("Shown only to people who registered.")
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        related_name="training_sessions",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="training_sessions",
        blank=True,
        # Trainers log in to check people in: staff accounts, with a second factor.
        limit_choices_to={"is_staff": True},
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SCHEDULED)
    # None: automatic (private when more than PRIVATE_ROSTER_THRESHOLD registered).
    private_roster = models.BooleanField(
        _("hide the roster until two letters are typed"),
        null=True,
        blank=True,
        help_text=_("Blank: hide it when more than 30 people registered."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("training", "session")
        verbose_name_plural = pgettext_lazy("training", "sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_at_least_one"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.topic} · {local:%Y-%m-%d %H:%M}"

    location_name = in_active_language("location_name")

    def roster_is_private(self, registered_count):
        if self.private_roster is not None:
            return self.private_roster
        return registered_count > PRIVATE_ROSTER_THRESHOLD

    def is_on_a_later_day(self, now=None):
        """True before the session's day: a trainer opening the roster a week
        early is warned, since a check-in then counts as attending."""
        now = now or timezone.now()
        return timezone.localdate(self.starts_at) > timezone.localdate(now)

    @property
    def is_open_for_registration(self):
        return self.status == self.Status.SCHEDULED and self.starts_at > timezone.now()


def new_cancel_token():
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
        WAITLISTED = "waitlisted", pgettext_lazy("registration status", "On the waitlist")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    session = models.ForeignKey(
        Session, verbose_name=pgettext_lazy("training", "session"), related_name="registrations",
        on_delete=models.CASCADE,
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), related_name="registrations", on_delete=models.CASCADE
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REGISTERED)
    # The language of the page the person registered on: the calendar file
    # and the reminder speak it (a volunteer may prefer "both").
    language = models.CharField(_("language"), max_length=2, default="en")
    # The secret in the "I can't come" link: whoever holds the link may cancel.
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token, editable=False)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # When the person answered a reminder's text "1, I'm coming"
    # (trainings.services.registrations.registration_reply).
    confirmed_at = models.DateTimeField(_("confirmed by text"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "volunteer"], name="registration_unique_per_session"),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.session}"


class AttendanceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(undone_at__isnull=True)


class Attendance(models.Model):
    """One check-in. An undo keeps the row (marked undone) so that a replayed
    check-in with the same client id stays applied once."""

    session = models.ForeignKey(
        Session, verbose_name=pgettext_lazy("training", "session"), related_name="attendances",
        on_delete=models.PROTECT,
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), related_name="attendances", on_delete=models.CASCADE
    )
    # Null once the details are shredded (trainings.retention): who came
    # stays, the minute they came does not.
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now, null=True, blank=True)
    # When the phone says it happened (it may reach us hours later).
    phone_at = models.DateTimeField(_("time on the phone"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    # Null once shredded: whether someone came unannounced is a detail of
    # the day, not part of who was trained.
    walk_in = models.BooleanField(_("walk-in"), default=False, null=True, blank=True)
    # Made by the phone for each check-in: a retried or duplicated send of the
    # same check-in finds this row instead of adding one.
    nonce = models.UUIDField(_("client id"), unique=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    details_shredded_at = models.DateTimeField(_("details shredded at"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["checked_in_at", "pk"]
        constraints = [
            # One standing check-in per person and session, even when two
            # trainers tap the same name at once.
            models.UniqueConstraint(
                fields=["session", "volunteer"],
                condition=Q(undone_at__isnull=True),
                name="attendance_unique_per_session",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.session}"
