from django.apps import AppConfig


class TurnoutConfig(AppConfig):
    name = "tolpuddle.turnout"
    label = "turnout"
    verbose_name = "Getting the vote out"
