from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "tolpuddle.voting"
    label = "voting"
    verbose_name = "Secret online voting"
