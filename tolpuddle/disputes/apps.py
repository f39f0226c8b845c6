from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "tolpuddle.disputes"
    label = "disputes"
    verbose_name = "Disputes and ballots"
