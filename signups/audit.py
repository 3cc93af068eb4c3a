"""Audit log: who created, changed, deleted, exported or erased whose record.

Our own small model rather than django-auditlog: auditlog 3.4.1 declares
support up to Django 5.2 only, and it stores the old and new value of every
changed field, which here means phone numbers and names in a second table that
a leak or a subpoena would reach too. An entry records who (the staff account,
or nobody for the public form), when, what (model and row id), which fields
changed (names only, never values) and, for exports, how many rows.

Every entry concerning a person carries `subject` = "volunteer:<id>", so that
forgetting that person (signups.services.volunteer_erase) turns all of their
entries into one anonymous id in a single UPDATE.

Models are audited by name (AUDITED_MODELS), so signups never imports
trainings: the trainings models are hooked up when that app is installed.
Writes through QuerySet.update() bypass model signals and are not logged;
services update rows with save(update_fields=...).
"""

import contextvars
import secrets

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# "app_label.model": the field holding the person's volunteer id.
AUDITED_MODELS = {
    "signups.volunteer": "pk",
    "trainings.registration": "volunteer_id",
    "trainings.attendance": "volunteer_id",
}
# Bookkeeping that changes on every save and says nothing about who did what.
_IGNORED_FIELDS = {"updated_at"}

_actor = contextvars.ContextVar("audit_actor", default=None)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased on request")
        IMPORT = "import", _("Imported from a file")
        # One person's phone or email shown to a staff member who asked
        # for it (the follow-up list shows first names only).
        REVEAL = "reveal", _("Contact shown")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # The account's username at the time, kept when the account is deleted.
    actor_name = models.CharField(_("account"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    subject = models.CharField(_("person (anonymous id)"), max_length=64, blank=True, db_index=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        app_label = "signups"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        # The log is append-only: no change or delete permission exists, so
        # no group can be given one (superusers are refused in the admin).
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.get_action_display()} {self.model} {self.object_id}".strip()


def current_actor():
    return _actor.get()


class AuditActorMiddleware:
    """Remember, for this request, who is acting, so entries written by
    signals (which have no request) know it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _actor.set(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


class acting_as:
    """`with acting_as(user):` for commands and services run outside a
    request (imports, retention)."""

    def __init__(self, user):
        self.user = user

    def __enter__(self):
        self._token = _actor.set(self.user)
        return self.user

    def __exit__(self, *exc):
        _actor.reset(self._token)


def _subject(instance):
    field = AUDITED_MODELS.get(instance._meta.label_lower)
    value = getattr(instance, field, None) if field else None
    return f"volunteer:{value}" if value else ""


def _write(*, action, model, object_id="", subject="", changed_fields=(), row_count=None, detail="", actor=None):
    actor = actor if actor is not None else current_actor()
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        model=model,
        object_id=str(object_id or ""),
        subject=subject,
        changed_fields=sorted(changed_fields),
        row_count=row_count,
        detail=detail[:200],
    )


def audit_export(*, user, model, row_count, detail=""):
    """Log an export: who took which records out of the app, and how many.
    Call it from every view or admin action that produces a file."""
    return _write(
        action=AuditEntry.Action.EXPORT, model=model, row_count=row_count, detail=detail, actor=user
    )


def audit_retention(*, action, model, row_count, changed_fields=(), detail=""):
    """Log one retention run (a purge, a shredding) that wrote many rows in
    one statement: which fields it emptied or how many rows it removed,
    never whose."""
    return _write(
        action=action, model=model, row_count=row_count, changed_fields=changed_fields, detail=detail
    )


def audit_import(*, user, file_name, row_count, detail=""):
    """Log one import (signups.importing): who brought which file in, and
    how many rows it wrote. Each created or changed volunteer also has its
    own entry, by the same account."""
    return _write(
        action=AuditEntry.Action.IMPORT, model="signups.volunteer", row_count=row_count,
        detail=f"{file_name}: {detail}" if detail else file_name, actor=user,
    )


def audit_table_pass(*, user):
    """Log that `user` issued a sign-up table pass (signups.signup_table):
    for a day, the tablet that opens it is not limited per address, so who
    handed one out belongs in the log. The pass itself is not stored."""
    return _write(
        action=AuditEntry.Action.CREATE, model="signups.signuptablepass",
        detail="sign-up table pass, valid for one day", actor=user,
    )


def audit_erase(*, user, volunteer_id):
    """Reduce every entry about one person to a fresh anonymous id, and log
    the erasure itself under that id. Returns the anonymous id."""
    anonymous = f"erased:{secrets.token_hex(6)}"
    AuditEntry.objects.filter(subject=f"volunteer:{volunteer_id}").update(
        subject=anonymous, object_id=""
    )
    _write(action=AuditEntry.Action.ERASE, model="signups.volunteer", subject=anonymous, actor=user)
    return anonymous


def _remember_old(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_old = None
        return
    instance._audit_old = sender._default_manager.filter(pk=instance.pk).values().first()


def _on_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata
        return
    if created:
        _write(action=AuditEntry.Action.CREATE, model=sender._meta.label_lower,
               object_id=instance.pk, subject=_subject(instance))
        return
    old = getattr(instance, "_audit_old", None) or {}
    changed = [
        field.name
        for field in sender._meta.concrete_fields
        if field.name not in _IGNORED_FIELDS
        and field.attname in old
        and old[field.attname] != getattr(instance, field.attname)
    ]
    if changed:
        _write(action=AuditEntry.Action.CHANGE, model=sender._meta.label_lower,
               object_id=instance.pk, subject=_subject(instance), changed_fields=changed)


def _on_delete(sender, instance, **kwargs):
    _write(action=AuditEntry.Action.DELETE, model=sender._meta.label_lower,
           object_id=instance.pk, subject=_subject(instance))


def connect():
    """Hook the audited models that are installed (called from
    SignupsConfig.ready)."""
    for label in AUDITED_MODELS:
        app_label, model_name = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        uid = f"audit:{label}"
        pre_save.connect(_remember_old, sender=model, dispatch_uid=f"{uid}:pre")
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}:delete")
