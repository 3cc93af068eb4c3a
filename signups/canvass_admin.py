"""Admin for canvass teams: who knocks on which blocks, on which day.

Imported by signups/admin.py so that admin autodiscovery registers it."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from signups.models import CanvassTeam
from zones.admin_scoping import ZoneScopedAdminMixin


@admin.register(CanvassTeam)
class CanvassTeamAdmin(ZoneScopedAdminMixin, admin.ModelAdmin):
    # A team belongs to the zones of its blocks.
    zone_path = "blocks__zone"
    list_display = ("name", "day", "campaign", "member_count", "block_count", "packet_link")
    list_filter = ("day", "campaign")
    search_fields = ("name", "members__name", "blocks__street")
    list_select_related = ("campaign",)
    autocomplete_fields = ("members", "blocks")
    fields = ("campaign", "day", "name", "members", "blocks", "notes")

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
