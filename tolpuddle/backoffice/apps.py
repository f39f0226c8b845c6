from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "tolpuddle.backoffice"
    label = "backoffice"
    verbose_name = "Back office"
