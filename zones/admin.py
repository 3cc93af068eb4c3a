"""Organizers' admin for zones and blocks.

Coverage shows in both lists: per block from Block.objects.with_coverage()
(the changelist's one query), per zone from zone_coverage_summaries() (one
more query for the page's zones), so neither list grows in queries with rows.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.contrib.admin.views.main import ChangeList
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pagecache.pages import generation_bump
from zones.admin_scoping import ZoneScopedAdminMixin
from zones.admin_search import AccentInsensitiveSearchMixin
from zones.assigning import ZoneAssignError, zone_assign_blocks
from zones.coverage import zone_coverage_summaries, zone_coverage_summary
from zones.extensions import zone_admin_links_for
from zones.models import Block, CoverageLevel, Zone
from zones.packets import packet_response
from zones.streets import _DIRECTIONS, _SUFFIXES, normalize_street


class ZoneChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        summaries = zone_coverage_summaries(zones=self.result_list)
        for zone in self.result_list:
            zone.coverage = summaries[zone.pk]


class AssignBlocksForm(forms.Form):
    street = forms.CharField(
        label=_("street"), max_length=80, help_text=_("As on a street sign, e.g. “S 9th St”.")
    )
    from_hundred = forms.IntegerField(label=_("from hundred"), min_value=0, max_value=99900)
    to_hundred = forms.IntegerField(label=_("to hundred"), min_value=0, max_value=99900)
    reassign = forms.BooleanField(
        label=_("also move blocks that are in another zone"), required=False
    )


@admin.register(Zone)
class ZoneAdmin(AccentInsensitiveSearchMixin, ZoneScopedAdminMixin, admin.ModelAdmin):
    # Organizers see the zones they organize; only a superuser assigns them.
    zone_path = ""
    superuser_only_fields = ("organizers",)
    filter_horizontal = ("organizers",)
    # The rest of the summary (below / at target, refreshers) is on the
    # change page: the list stays readable on a laptop.
    list_display = (
        "display_name", "status", "block_total", "blocks_none", "percent_with_trained", "residents",
        "trained", "map_link",
    )
    list_filter = ("status",)
    search_fields = ("name_en", "name_es", "slug")
    accent_insensitive_fields = ("name_en", "name_es")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("coverage_summary",)
    fieldsets = (
        (None, {"fields": ("slug", "status", "target_per_block")}),
        (_("English"), {"fields": ("name_en", "description_en")}),
        (_("Spanish"), {"fields": ("name_es", "description_es")}),
        (_("Coverage"), {"fields": ("coverage_summary",)}),
        (_("Boundary"), {"fields": ("boundary",), "classes": ("collapse",)}),
        (_("Organizers"), {"fields": ("organizers",)}),
    )
    actions = ("print_uncovered_packets",)

    def get_changelist(self, request, **kwargs):
        return ZoneChangeList

    def get_urls(self):
        return [
            path(
                "<int:zone_id>/assign-blocks/",
                self.admin_site.admin_view(self.assign_blocks_view),
                name="zones_zone_assign_blocks",
            ),
            path(
                "<int:zone_id>/packet/",
                self.admin_site.admin_view(self.packet_view),
                name="zones_zone_packet",
            ),
        ] + super().get_urls()

    # --- List columns: from the summary ZoneChangeList attached ---------------
    @admin.display(description=_("blocks"))
    def block_total(self, zone):
        return zone.coverage.blocks

    @admin.display(description=_("no trained neighbor"))
    def blocks_none(self, zone):
        return zone.coverage.none

    # In the organizer's language: a Spanish admin listed the English name
    # under "Nombre (inglés)".
    @admin.display(description=_("name"), ordering="name_en")
    def display_name(self, zone):
        return zone.name

    @admin.display(description=_("map"))
    def map_link(self, zone):
        return format_html('<a href="{}">{}</a>', reverse("zones:map", args=[zone.slug]), gettext("View map"))

    @admin.display(description=_("below target"))
    def blocks_below(self, zone):
        return zone.coverage.below

    @admin.display(description=_("at target"))
    def blocks_at_target(self, zone):
        return zone.coverage.at_target

    @admin.display(description=_("% of blocks with a trained neighbor"))
    def percent_with_trained(self, zone):
        return f"{zone.coverage.percent_with_trained}%"

    @admin.display(description=_("residents"))
    def residents(self, zone):
        return zone.coverage.residents

    @admin.display(description=_("trained"))
    def trained(self, zone):
        return zone.coverage.trained

    @admin.display(description=_("need a refresher"))
    def needing_refresher(self, zone):
        return zone.coverage.needing_refresher

    @admin.display(description=_("coverage"))
    def coverage_summary(self, zone):
        if not zone.pk:
            return "-"
        summary = zone_coverage_summary(zone=zone)
        return gettext(
            "{blocks} blocks: {none} with no trained neighbor, {below} below target, "
            "{at_target} at target ({percent}% with a trained neighbor). {residents} residents "
            "signed up, {trained} trained, {refresher} need a refresher."
        ).format(
            blocks=summary.blocks, none=summary.none, below=summary.below,
            at_target=summary.at_target, percent=summary.percent_with_trained,
            residents=summary.residents, trained=summary.trained,
            refresher=summary.needing_refresher,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Pages about this zone that apps above zones own (canvass: its
        # progress; trainings: its follow-up list), as buttons.
        if obj is not None and obj.pk:
            context["extension_links"] = zone_admin_links_for(obj, request.user)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # --- Drawing a zone from blocks ----------------------------------------------
    def assign_blocks_view(self, request, zone_id):
        zone = get_object_or_404(Zone, pk=zone_id)
        if not self.has_change_permission(request, zone):
            raise PermissionDenied
        form = AssignBlocksForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = zone_assign_blocks(zone=zone, **form.cleaned_data)
            except ZoneAssignError as error:
                form.add_error("street", error.message)
            else:
                self.message_user(
                    request,
                    gettext(
                        "{street}: {assigned} blocks added to {zone}; {already} were already in it; "
                        "{others} are in another zone and stayed there."
                    ).format(
                        street=result.street, assigned=result.assigned, zone=zone,
                        already=result.already_in_zone, others=result.in_other_zones,
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": zone,
            "form": form,
            "title": gettext("Add blocks to {zone} by street and hundreds").format(zone=zone),
        }
        return TemplateResponse(request, "admin/zones/zone/assign_blocks.html", context)

    # --- Canvass packets --------------------------------------------------------
    def packet_view(self, request, zone_id):
        zone = get_object_or_404(Zone, pk=zone_id)
        if not self.has_view_permission(request, zone):
            raise PermissionDenied
        if not self.has_view_permission(request, zone):
            raise PermissionDenied
        blocks = (
            Block.objects.filter(zone=zone)
            .with_coverage()
            .filter(coverage_level=CoverageLevel.NONE)
        )
        return packet_response(request, blocks=blocks, day=request.GET.get("day", ""))

    @admin.action(description=_("Print canvass packet for blocks with no trained neighbor"))
    def print_uncovered_packets(self, request, queryset):
        blocks = (
            Block.objects.filter(zone__in=queryset)
            .with_coverage()
            .filter(coverage_level=CoverageLevel.NONE)
        )
        return packet_response(request, blocks=blocks, day="")


STREET_AFFIXES = frozenset(_DIRECTIONS.values()) | frozenset(_SUFFIXES.values())


def parse_block_search(term):
    """(hundred, street words) from a search like "1100 S 9th st": the
    first number of three or more digits gives the hundred (a house number
    works too), the other words are normalized like a street name ("south"
    -> S, "street" -> ST) and kept to letters and digits. (None, []) when
    no such number was typed."""
    tokens = re.sub(r"[^0-9A-Za-z ]+", " ", term or "").split()
    number = next((t for t in tokens if t.isdigit() and len(t) >= 3), None)
    if number is None:
        return None, []
    rest = list(tokens)
    rest.remove(number)
    return int(number) // 100 * 100, normalize_street(" ".join(rest)).split()


class CoverageLevelFilter(admin.SimpleListFilter):
    title = _("coverage")
    parameter_name = "coverage"

    def lookups(self, request, model_admin):
        return CoverageLevel.choices

    def queryset(self, request, queryset):
        if self.value() in CoverageLevel.values:
            return queryset.filter(coverage_level=self.value())
        return queryset


@admin.register(Block)
class BlockAdmin(AccentInsensitiveSearchMixin, ZoneScopedAdminMixin, admin.ModelAdmin):
    zone_path = "zone"
    list_display = (
        "street", "hundred", "from_street", "to_street", "zone", "resident_count",
        "trained_count", "coverage",
    )
    list_filter = (CoverageLevelFilter, "zone")
    list_select_related = ("zone",)
    search_fields = ("street", "from_street", "to_street")
    accent_insensitive_fields = search_fields
    autocomplete_fields = ("zone",)
    readonly_fields = ("residents_link", "canvass_teams_display")
    fields = (
        "street", "hundred", "from_street", "to_street", "zone", "geometry", "residents_link",
        "canvass_teams_display",
    )
    actions = ("print_packet", "remove_from_zone")
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).with_coverage()

    def get_search_results(self, request, queryset, search_term):
        """Django's word-by-word search, plus blocks as organizers name them:
        "1100 S 9th", "1100 s 9th st", "S 9th 1100" or a house number
        ("1123 S 9th") find the 1100 block of S 9TH ST. The plain search
        found nothing there, since no one field holds both the hundred and
        the street. Also serves the block picker (autocomplete)."""
        queryset_in, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        hundred, words = parse_block_search(search_term)
        if hundred is None or not words:
            return queryset_in, may_have_duplicates
        named = queryset.filter(hundred=hundred)
        for word in words:
            # A direction or a street type is a whole word ("S" must not
            # find N 9TH ST through its "ST"); any other word starts one
            # ("9" finds 9TH). The regex reads the same in PostgreSQL and
            # in SQLite (Django gives SQLite Python's re).
            end = "( |$)" if word in STREET_AFFIXES else ""
            named = named.filter(street__iregex=rf"(^| ){word}{end}")
        # An OR of two querysets forgets the model's default ordering, which
        # the picker's pages rely on.
        combined = (queryset_in | named).order_by(*(queryset.query.order_by or self.model._meta.ordering))
        return combined, may_have_duplicates

    def get_urls(self):
        return [
            path(
                "team-packet/",
                self.admin_site.admin_view(self.team_packet_view),
                name="zones_block_team_packet",
            ),
        ] + super().get_urls()

    def team_packet_view(self, request):
        """The packet of one canvass team's blocks (linked from the canvass
        team admin). The team is reached through Block.canvass_teams, since
        zones does not import signups."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            team_id = int(request.GET.get("team", ""))
        except ValueError:
            team_id = None
        day = request.GET.get("day", "")
        blocks = self.scope(request, Block.objects.filter(canvass_teams__id=team_id).distinct())
        return packet_response(request, blocks=blocks, day=day if day in ("saturday", "sunday") else "")

    @admin.display(description=_("residents"), ordering="resident_count")
    def resident_count(self, block):
        return block.resident_count

    @admin.display(description=_("trained"), ordering="trained_count")
    def trained_count(self, block):
        return block.trained_count

    @admin.display(description=_("coverage"), ordering="trained_count")
    def coverage(self, block):
        return CoverageLevel(block.coverage_level).label

    @admin.display(description=_("residents"))
    def residents_link(self, block):
        if not block.pk:
            return "-"
        try:
            url = reverse("admin:signups_volunteer_changelist")
        except NoReverseMatch:  # the volunteer admin is not installed
            return block.resident_count
        return format_html(
            '<a href="{}?block__id__exact={}">{}</a>',
            url, block.pk,
            ngettext("%(count)d volunteer", "%(count)d volunteers", block.resident_count)
            % {"count": block.resident_count},
        )

    @admin.display(description=_("canvass teams"))
    def canvass_teams_display(self, block):
        # Through the reverse relation: zones does not import signups.
        if not block.pk:
            return "-"
        teams = block.canvass_teams.select_related("campaign").prefetch_related("members")
        return "; ".join(
            gettext("{team}: {members}").format(
                team=team, members=", ".join(sorted(m.name for m in team.members.all())) or "-"
            )
            for team in teams
        ) or "-"

    @admin.action(description=_("Print canvass packet"))
    def print_packet(self, request, queryset):
        return packet_response(request, blocks=queryset, day=request.POST.get("day", ""))

    @admin.action(description=_("Remove from their zone"))
    def remove_from_zone(self, request, queryset):
        # By primary key: an UPDATE cannot carry the coverage annotations.
        pks = list(queryset.values_list("pk", flat=True))
        count = Block.objects.filter(pk__in=pks).update(zone=None)
        generation_bump("coverage")  # an UPDATE sends no signal
        self.message_user(
            request,
            ngettext("%(count)d block removed from its zone.", "%(count)d blocks removed from their zone.", count)
            % {"count": count},
        )

