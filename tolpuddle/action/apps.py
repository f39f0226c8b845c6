from django.apps import AppConfig


class ActionConfig(AppConfig):
    name = "tolpuddle.action"
    label = "action"
    verbose_name = "Industrial action"
