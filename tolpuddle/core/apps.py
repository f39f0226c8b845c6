from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tolpuddle.core"
    label = "core"
    verbose_name = "Core"
