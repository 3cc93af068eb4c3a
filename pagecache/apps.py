from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    """Rendered pages kept under data generations. Listed after the apps
    that tell it (in their ready()) which of their models bump which
    generation, so it connects the signals once they all have."""

    name = "pagecache"

    def ready(self):
        from pagecache import pages

        pages.connect()
