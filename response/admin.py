"""Organizers prepare the alert and all-clear words here; superusers give
dispatchers their zones. Incidents themselves run on /<lang>/dispatch/."""

from django.contrib import admin

from response.models import AlertTemplate, DispatcherZone


@admin.register(AlertTemplate)
class AlertTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "purpose"]
    list_filter = ["purpose"]
    fields = ["name", "purpose", "text_en", "text_es"]


@admin.register(DispatcherZone)
class DispatcherZoneAdmin(admin.ModelAdmin):
    list_display = ["user", "zone"]
    autocomplete_fields = []
    raw_id_fields = ["user"]
