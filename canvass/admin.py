"""Admin for canvass teams: who knocks on which blocks, on which day.

Imported by signups/admin.py so that admin autodiscovery registers it."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from canvass.models import CanvassTeam
from zones.admin_scoping import ZoneScopedAdminMixin, sees_everything, zone_q, zones_for


@admin.register(CanvassTeam)
class CanvassTeamAdmin(ZoneScopedAdminMixin, admin.ModelAdmin):
    # A team belongs to its zone and to the zones of its blocks; see scope().
    zone_path = "blocks__zone"
    list_display = ("name", "day", "campaign", "zone", "member_count", "block_count", "packet_link")
    list_filter = ("day", "campaign")
    search_fields = ("name", "members__name", "blocks__street")
    list_select_related = ("campaign", "zone")
    autocomplete_fields = ("members", "blocks")
    fields = ("campaign", "day", "name", "zone", "members", "blocks", "notes")

    def scope(self, request, queryset):
        """Organizers see the teams of their zone, with or without blocks,
        and the teams working any of their zones' blocks. Not everything
        block-less: a team lists its members' names, which stay with the
        zone that formed it (least privilege)."""
        if sees_everything(request.user):
            return queryset
        allowed = CanvassTeam.objects.filter(
            zone_q(request.user, "zone") | zone_q(request.user, "blocks__zone")
        )
        return queryset.filter(pk__in=allowed.values("pk"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # An organizer's team must name one of their zones, or it would
        # belong to nobody they can see until blocks are added.
        if not sees_everything(request.user) and "zone" in form.base_fields:
            form.base_fields["zone"].required = True
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        zones = list(zones_for(request.user)[:2])
        if len(zones) == 1 and "zone" not in initial:
            initial["zone"] = zones[0].pk
        return initial

    def get_queryset(self, request):
        # Counts come with the list's one query.
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("members", distinct=True),
                block_count=Count("blocks", distinct=True),
            )
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, team):
        return team.member_count

    @admin.display(description=_("blocks"), ordering="block_count")
    def block_count(self, team):
        return team.block_count

    @admin.display(description=_("canvass packet"))
    def packet_link(self, team):
        return format_html(
            '<a href="{}?team={}&amp;day={}">{}</a>',
            reverse("admin:zones_block_team_packet"),
            team.pk,
            team.day,
            _("Print"),
        )
