from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "tolpuddle.members"
    label = "members"
    verbose_name = "Membership register"

    def ready(self) -> None:
        from tolpuddle.members import signals  # noqa: F401 - connects receivers
