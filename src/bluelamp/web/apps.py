from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bluelamp.web"
    label = "web"
    verbose_name = "Web shell"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each feature's panels on pages it does not own (home pages, record pages), registered
        # with bluelamp.ui.extensions; the shell imports no feature by name.
        autodiscover_modules("panels")
        from . import home  # noqa: F401 - the shell's own home panels
