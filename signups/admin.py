"""Organizers' admin for campaigns and volunteers.

It speaks the organizer's language: the admin lives outside the /en/ and /es/
prefixes, so LocaleMiddleware takes it from the language cookie or the
browser's Accept-Language.

What it never offers: a field for immigration status, date of birth or any ID
number. Volunteer has none, and VolunteerAdminForm lists its fields
explicitly, so a field added to the model later does not appear here without
someone deciding it should (signups/tests/test_admin.py checks both).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signups.export_admin import VolunteerExportAdminMixin
from signups.models import Availability, Campaign, ContactMethod, Volunteer, WayToHelp
from signups.pending_admin import HasPendingChangeFilter
from signups.retention_admin import ForgetMeAdminMixin, erase_volunteers
from signups.services import SignupError, email_normalize, phone_normalize
from zones.admin_scoping import ZoneScopedAdminMixin
from zones.admin_search import AccentInsensitiveSearchMixin


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_es", "starts_on", "ends_on", "is_open", "volunteer_count")
    list_filter = ("is_open",)
    search_fields = ("name_en", "name_es", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("slug", "starts_on", "ends_on", "is_open")}),
        (_("English"), {"fields": ("name_en", "intro_en")}),
        (_("Spanish"), {"fields": ("name_es", "intro_es")}),
    )

    def get_queryset(self, request):
        # One query for the whole list, counts included.
        return super().get_queryset(request).annotate(volunteer_count=Count("volunteers"))

    @admin.display(description=_("volunteers"), ordering="volunteer_count")
    def volunteer_count(self, campaign):
        return campaign.volunteer_count


class WayToHelpFilter(admin.SimpleListFilter):
    title = _("way to help")
    parameter_name = "way_to_help"

    def lookups(self, request, model_admin):
        return WayToHelp.choices

    def queryset(self, request, queryset):
        # Only known codes reach the query; anything else in the URL shows
        # the whole list.
        if self.value() in WayToHelp.values:
            return queryset.offering(self.value())
        return queryset


class VolunteerAdminForm(forms.ModelForm):
    """Checkboxes instead of raw JSON for the lists of choices, and the same
    phone and email normalization as the public form, so an organizer's entry
    is found again when that person signs up themselves."""

    contact_methods = forms.MultipleChoiceField(
        label=_("how to contact"),
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ways_to_help = forms.MultipleChoiceField(
        label=_("ways to help"),
        choices=WayToHelp.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weekend_availability = forms.MultipleChoiceField(
        label=_("launch-weekend availability"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Volunteer
        # Listed one by one on purpose (see the module docstring).
        fields = (
            "name",
            "phone",
            "email",
            "language",
            "contact_methods",
            "block",
            "street_address",
            "address_withheld",
            "zip_code",
            "ways_to_help",
            "weekend_availability",
            "campaigns",
            "source",
            "consent_at",
            "consent_version",
            "last_contacted_at",
            "notes",
        )

    def clean_phone(self):
        try:
            phone = phone_normalize(self.cleaned_data["phone"])
        except SignupError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        self._refuse_taken("phone", phone)
        return phone

    def clean_email(self):
        email = email_normalize(self.cleaned_data["email"])
        self._refuse_taken("email", email)
        return email

    def _refuse_taken(self, field, value):
        # Said next to the field, in words; the unique constraint alone
        # would answer with its name.
        others = Volunteer.objects.exclude(pk=self.instance.pk)
        if value and others.filter(**{f"{field}__iexact": value}).exists():
            raise forms.ValidationError(
                _("Another volunteer already has this %(field)s: search for them instead."),
                code="taken",
                params={"field": Volunteer._meta.get_field(field).verbose_name},
            )


def _labels(codes, choices):
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


@admin.register(Volunteer)
class VolunteerAdmin(
    AccentInsensitiveSearchMixin,
    VolunteerExportAdminMixin,
    ZoneScopedAdminMixin,
    ForgetMeAdminMixin,
    admin.ModelAdmin,
):
    # An organizer sees the people of their zones only; people with no
    # block (outside every zone) only a superuser.
    zone_path = "block__zone"
    unzoned_permission = "signups.view_unzoned_volunteer"
    form = VolunteerAdminForm
    list_display = ("name", "language", "block", "zone", "ways_to_help_display", "created_at")
    list_filter = (
        ("block__zone", admin.RelatedFieldListFilter),
        "language",
        WayToHelpFilter,
        "campaigns",
        "source",
        HasPendingChangeFilter,
    )
    search_fields = ("name", "phone", "email", "block__street")
    accent_insensitive_fields = ("name", "block__street")
    # Block and zone for every row come with the list's one query.
    list_select_related = ("block", "block__zone")
    # One count of the people per page, not two: at 50,000 the "of N in
    # all" beside a filtered count was a second full count (6 ms) per click.
    show_full_result_count = False
    raw_id_fields = ("block",)
    filter_horizontal = ("campaigns",)
    readonly_fields = ("trained_at", "trained_until", "created_at", "updated_at")
    actions = ("export_csv", erase_volunteers)
    fieldsets = (
        (_("Person"), {"fields": ("name", "phone", "email", "language", "contact_methods")}),
        (_("Where they live"), {"fields": ("block", "address_withheld", "zip_code", "street_address")}),
        (_("How they help"), {"fields": ("ways_to_help", "weekend_availability", "campaigns")}),
        (_("Consent and origin"), {"fields": ("consent_at", "consent_version", "source")}),
        (
            _("Training and follow-up"),
            {"fields": ("trained_at", "trained_until", "last_contacted_at", "notes")},
        ),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    def get_changeform_initial_data(self, request):
        # Someone entered by an organizer gave their consent in person, now,
        # to the current wording.
        return {
            "source": Volunteer.Source.ADMIN,
            "consent_at": timezone.now(),
            "consent_version": settings.CONSENT_VERSION,
            **super().get_changeform_initial_data(request),
        }

    def get_search_results(self, request, queryset, search_term):
        """Organizers type phone numbers the way people say them
        ("215-555-0123"); stored numbers are E.164, so also look for the
        normalized number."""
        unsearched = queryset  # already narrowed by the sidebar filters
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        try:
            phone = phone_normalize(search_term)
        except SignupError:
            phone = ""
        if phone:
            queryset |= unsearched.filter(phone=phone)
        return queryset, may_have_duplicates

    @admin.display(description=_("zone"), ordering="block__zone__name_en")
    def zone(self, volunteer):
        if volunteer.block is None or volunteer.block.zone is None:
            return None
        return volunteer.block.zone.name

    @admin.display(description=_("ways to help"))
    def ways_to_help_display(self, volunteer):
        return _labels(volunteer.ways_to_help, WayToHelp)


# Pending changes have their own module; importing it
# registers its admin (canvass teams moved to the canvass app).
from signups import pending_admin  # noqa: E402, F401
