from django.apps import AppConfig


class BallotLawConfig(AppConfig):
    name = "tolpuddle.ballot_law"
    label = "ballot_law"
    verbose_name = "Industrial-action ballot law"
