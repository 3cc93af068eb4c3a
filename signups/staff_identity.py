"""Who a logged-in request is, from the shared cache instead of PostgreSQL.

Every staff request used to load its user and its second-factor device from
the database: two queries, and most of a map 304's time. Now the first
request after a change loads them and keeps the person's *identity* in the
shared cache, filed under their auth generations; every later request, on
any worker of any host, reads it back with the session in one Redis round
trip more.

What the identity holds, and what it never does:
- the user's columns but the password, and the id and name of the confirmed
  device their session proved (one identity per person and device);
- not their permissions: the few pages that ask (the admin) read them from
  PostgreSQL, as before;
- never a password hash, a TOTP secret or a backup code. The session's
  proof (Django's session auth hash) is checked against a SHA-256 of the
  current one. A user or device rebuilt from an identity has those columns
  deferred: code that needs them (verifying a code) loads them from the
  database.

When it is forgotten: an identity is kept under two generations
(pagecache.pages), "staff" for everyone and "staff-<id>" for one person,
bumped at once and again at commit by the changes that move what a person
may do or whether they are verified: the user saved (deactivated, a new
password, made staff or not) or deleted, a group joined or left, a
permission given or taken, a group's permissions changed or the group
deleted, a device saved or deleted. The next request, on any worker,
finds the counters moved and loads from the database. (Zones are not part
of an identity: the lists ask PostgreSQL, and the map's kept GeoJSON
follows Zone.organizers itself, zones.apps.) Bulk QuerySet.update() of users sends no signal: call
`staff_identity_forget` after one.

When the cache is away (pagecache.resilient_cache answers as an empty
cache), every request loads from the database, as before. An identity also
expires after IDENTITY_SECONDS whatever happens.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from pagecache.pages import cached_entry, cached_entry_keys, cached_keep, generation_bump

logger = logging.getLogger(__name__)

# A bound on how long an identity lives even if no signal says it changed.
IDENTITY_SECONDS = 5 * 60
EVERYONE = "staff"
# The device columns an identity keeps: none of them a secret.
_DEVICE_FIELDS = ("id", "user_id", "name", "confirmed")


def _person(user_id):
    return f"staff-{user_id}"


def _proof(session_hash):
    return hashlib.sha256(session_hash.encode()).hexdigest()


def staff_identity_forget(*user_ids, everyone=False):
    """Say that what these people may do changed (everyone's, with
    `everyone`): their next request, on any worker, loads from PostgreSQL."""
    names = [_person(pk) for pk in user_ids if pk is not None]
    if everyone:
        names.append(EVERYONE)
    if names:
        generation_bump(*names)


# --- Reading ------------------------------------------------------------------


def _identity_of(user, persistent_id):
    """What is kept of a user the database just verified, with the device
    their session names if it is theirs and confirmed."""
    from django_otp.models import Device

    fields = {
        field.attname: getattr(user, field.attname)
        for field in user._meta.concrete_fields
        if field.attname != "password"
    }
    devices = {}
    device = Device.from_persistent_id(OTPMiddleware._normalize_persistent_id(persistent_id)) if persistent_id else None
    if device is not None and device.user_id == user.pk and device.confirmed:
        devices[persistent_id] = (device._meta.label_lower, {name: getattr(device, name) for name in _DEVICE_FIELDS})
    return {"fields": fields, "proof": _proof(user.get_session_auth_hash()), "devices": devices}


def _user_from(identity):
    model = auth.get_user_model()
    fields = identity["fields"]
    names = [f.attname for f in model._meta.concrete_fields if f.attname in fields]
    user = model.from_db("default", names, [fields[name] for name in names])
    user._rz_devices = identity["devices"]
    return user


def _device_from(devices, persistent_id):
    """The confirmed device the session names, its secrets left deferred."""
    from django.apps import apps

    found = devices.get(persistent_id)
    if found is None:
        return None
    label, values = found
    model = apps.get_model(label)
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", names, [values[name] for name in names])


def _session_user(request):
    """(user id, session hash) of a session that names a user the model
    backend logged in, else None (anonymous, or a backend we do not know)."""
    session = request.session
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValueError, TypeError):
        return None
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if not session_hash or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    if not issubclass(auth.load_backend(backend_path).__class__, ModelBackend):
        return None
    return user_id, session_hash


def _identity_key(user_id, persistent_id):
    # Per device: each of a person's sessions may have proved a different one.
    return f"staff-identity:{user_id}:{persistent_id}", [EVERYONE, _person(user_id)]


# --- One round trip with the session -------------------------------------------
#
# Reading the session and then the identity it names took two round trips
# to Redis on every staff request. Each worker remembers which person and
# device a session named when it last served it (a hint, under a digest of
# the session key, never the key); the next request of that session reads
# the session and that identity with its generations in one read
# (signups.sessions). The session read alongside decides: a hint that no
# longer fits (another device proved since) only costs the second read.

MAX_SESSION_HINTS = 10_000
_session_hints = {}


def _hint_key(session_key):
    return hashlib.sha256(session_key.encode()).digest()[:16]


def _remember_hint(session_key, user_id, persistent_id):
    if not session_key:
        return
    if len(_session_hints) >= MAX_SESSION_HINTS:
        _session_hints.clear()  # a worker's memory stays bounded; hints come back
    _session_hints[_hint_key(session_key)] = (user_id, persistent_id)


def identity_keys_for_session(session_key):
    """(hint, the cache keys of the identity the session named last time on
    this worker), or None when this worker has not seen it."""
    hint = _session_hints.get(_hint_key(session_key)) if session_key else None
    if hint is None:
        return None
    return hint, cached_entry_keys(*_identity_key(*hint))


def staff_user(request):
    """request.user: from the kept identity when the session's proof matches
    it, else from the database (Django's own checks), kept for next time."""
    found = _session_user(request)
    if found is None:
        return auth.get_user(request)
    user_id, session_hash = found
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) or ""
    key, depends_on = _identity_key(user_id, persistent_id)
    hint, read_with_session = getattr(request.session, "rz_identity_read", (None, None))
    try:
        if hint == (user_id, persistent_id):
            version, identity = cached_entry(key, depends_on, found=dict(read_with_session))
        else:
            version, identity = cached_entry(key, depends_on)
        _remember_hint(request.session.session_key, user_id, persistent_id)
    except Exception:  # the cache is an optimization: without it, the database
        logger.warning("Staff identity: the shared cache did not answer; reading the database.")
        return auth.get_user(request)
    if identity is not None and identity["proof"] == _proof(session_hash):
        return _user_from(identity)
    user = auth.get_user(request)
    if user.is_authenticated and user.pk == user_id:
        identity = _identity_of(user, persistent_id)
        user._rz_devices = identity["devices"]
        try:
            cached_keep(key, version, identity, timeout=IDENTITY_SECONDS)
        except Exception:
            logger.warning("Staff identity: the shared cache did not answer; not kept.")
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with request.user from the kept
    identity (staff_user). request.auser stays Django's."""

    def process_request(self, request):
        super().process_request(request)

        def user():
            if not hasattr(request, "_cached_user"):
                request._cached_user = staff_user(request)
            return request._cached_user

        request.user = SimpleLazyObject(user)


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, taking the verified device from the kept
    identity: the session's device must still be one of the person's
    confirmed devices, or the person is not verified."""

    def _verify_user_sync(self, request, user):
        devices = getattr(user, "_rz_devices", None)
        if devices is None or not user.is_authenticated:
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = _device_from(devices, persistent_id) if persistent_id else None
        user.otp_device = self._finalize_device(request, user, device)
        return user


# --- Forgetting -----------------------------------------------------------------


def _user_saved(sender, instance, update_fields=None, **kwargs):
    # Logging in writes last_login, which changes nothing a request checks.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    staff_identity_forget(instance.pk)


def _user_deleted(sender, instance, **kwargs):
    staff_identity_forget(instance.pk)


def _device_changed(sender, instance, **kwargs):
    staff_identity_forget(instance.user_id)


def _everyone_changed(sender, **kwargs):
    staff_identity_forget(everyone=True)


def _people_relation_changed(declared_on_other):
    """A receiver for a many-to-many between users and something else,
    declared on User (groups, user_permissions) or on the other model: that
    says on which side the user is."""

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        instance_is_user = reverse == declared_on_other
        if instance_is_user:
            staff_identity_forget(instance.pk)
        elif pk_set:
            staff_identity_forget(*pk_set)
        else:
            # A clear() from the other side names nobody: forget everyone.
            staff_identity_forget(everyone=True)

    return receiver


_receivers = []


def staff_identity_follows(relation):
    """Say that the many-to-many `relation` ("app_label.Model.field", users
    on the field's side) moves what its people may do: a change forgets
    their kept identity and what is kept under it ("staff-<id>"). For apps
    signups may not import (trainings: Session.trainers)."""
    from django.apps import apps

    app_model, field_name = relation.rsplit(".", 1)
    through = getattr(apps.get_model(app_model), field_name).through
    receiver = _people_relation_changed(declared_on_other=True)
    _receivers.append(receiver)
    m2m_changed.connect(receiver, sender=through, dispatch_uid=f"rz.staff_identity.m2m.{relation}")


def connect():
    """Connect the forgetting signals (signups' ready())."""
    from django.apps import apps
    from django_otp.models import Device

    user_model = auth.get_user_model()
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="rz.staff_identity.user_saved")
    post_delete.connect(_user_deleted, sender=user_model, dispatch_uid="rz.staff_identity.user_deleted")
    for model in apps.get_models():
        if issubclass(model, Device):
            post_save.connect(_device_changed, sender=model, dispatch_uid=f"rz.staff_identity.{model._meta.label}.save")
            post_delete.connect(_device_changed, sender=model, dispatch_uid=f"rz.staff_identity.{model._meta.label}.delete")
    for model in (Group, Permission):
        post_save.connect(_everyone_changed, sender=model, dispatch_uid=f"rz.staff_identity.{model.__name__}.save")
        post_delete.connect(_everyone_changed, sender=model, dispatch_uid=f"rz.staff_identity.{model.__name__}.delete")
    m2m_changed.connect(_everyone_changed, sender=Group.permissions.through, dispatch_uid="rz.staff_identity.group_perms")
    relations = [
        (user_model.groups.through, False),
        (user_model.user_permissions.through, False),
    ]
    for through, declared_on_other in relations:
        receiver = _people_relation_changed(declared_on_other)
        _receivers.append(receiver)  # signals hold receivers weakly
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"rz.staff_identity.m2m.{through._meta.label}")
