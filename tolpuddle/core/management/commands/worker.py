"""tolpuddle worker [--once]: run background tasks (imports, transfers, sends)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run queued background tasks. With --once, run until the queue is empty, then exit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="run what is queued, then exit"
        )
        parser.add_argument("--queue-name", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = ["--queue-name", options["queue_name"], "--no-startup-delay"]
        if options["once"]:
            arguments.append("--batch")
        call_command("db_worker", *arguments, verbosity=options["verbosity"])
