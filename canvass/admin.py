"""Admin for canvassing: teams (who knocks on which blocks, on which day, and
which staff accounts tally for them), door tallies (a paper sheet typed in),
claims (read only) and pauses (pause or lift a block), all scoped to the
organizer's zones."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from canvass.models import BlockClaim, BlockPause, CanvassTeam, DoorTally
from canvass.roles import CANVASSER
from canvass.services import block_pause, block_pause_lift
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
    fields = ("campaign", "day", "name", "zone", "members", "blocks", "canvassers", "notes")
    filter_horizontal = ("canvassers",)

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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "canvassers":
            # Only accounts in the Canvasser group: an organizer picks from
            # them and sees no other staff account.
            kwargs["queryset"] = get_user_model().objects.filter(
                groups__name=CANVASSER, is_active=True, is_staff=True
            ).order_by("username")
            return admin.ModelAdmin.formfield_for_manytomany(self, db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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


@admin.register(DoorTally)
class DoorTallyAdmin(ZoneScopedAdminMixin, admin.ModelAdmin):
    """The phones' tallies, and the paper packet's typed in: the same boxes
    as the packet (zones/packets.py), counts only."""

    zone_path = "block__zone"
    list_display = (
        "block", "team", "day", "knocked", "answered", "not_home", "no_thanks", "flyer_left",
        "come_back", "signups_on_spot",
    )
    list_filter = ("day",)
    list_select_related = ("block", "team")
    search_fields = ("block__street", "team__name")
    autocomplete_fields = ("block",)
    fields = (
        "block", "team", "day", "knocked", "answered", "not_home", "no_thanks", "flyer_left",
        "come_back", "signups_on_spot", "note",
    )
    date_hierarchy = "day"


@admin.register(BlockClaim)
class BlockClaimAdmin(ZoneScopedAdminMixin, admin.ModelAdmin):
    zone_path = "block__zone"
    list_display = ("block", "team", "day", "expires_at")
    list_filter = ("day",)
    list_select_related = ("block", "team")
    search_fields = ("block__street", "team__name")

    def has_add_permission(self, request):
        return False  # canvassers claim blocks from their phones

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BlockPause)
class BlockPauseAdmin(ZoneScopedAdminMixin, admin.ModelAdmin):
    """Pause a block (it leaves every canvass list and its organizers are
    told) or lift a pause before it ends by itself."""

    zone_path = "block__zone"
    list_display = ("block", "started_at", "ends_at", "lifted_at", "is_active_display")
    list_select_related = ("block",)
    search_fields = ("block__street",)
    autocomplete_fields = ("block",)
    actions = ["lift"]

    def get_fields(self, request, obj=None):
        return ("block",) if obj is None else ("block", "started_at", "ends_at", "lifted_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("block", "started_at", "ends_at", "lifted_at")

    def save_model(self, request, obj, form, change):
        if change:
            return
        pause, _created = block_pause(block=obj.block, by=request.user)
        obj.pk = pause.pk

    @admin.action(description=_("Lift the selected pauses"), permissions=["change"])
    def lift(self, request, queryset):
        for pause in queryset.select_related("block"):
            block_pause_lift(pause=pause, by=request.user)
        self.message_user(request, _("The pauses are lifted: the blocks are back on the canvass lists."))

    @admin.display(description=_("paused now"), boolean=True)
    def is_active_display(self, pause):
        return pause.is_active()


# Zone progress: the funnel and the charts (its own module).
from canvass import progress_admin  # noqa: E402, F401
