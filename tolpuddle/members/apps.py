from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "tolpuddle.members"
    label = "members"
    verbose_name = "Membership register"
