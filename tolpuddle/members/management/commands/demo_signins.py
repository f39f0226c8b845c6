"""tolpuddle demo_signins [--url URL]: where to sign in, and the demo union's sign-ins."""

from typing import Any
from urllib.parse import urljoin

from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from tolpuddle.members import demo


class Command(BaseCommand):
    help = "Print the site's address, its sign-in page and the demo union's sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="where the site is served (default http://127.0.0.1:8000/)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url: str = options["url"]
        if not url.endswith("/"):
            url += "/"
        self.stdout.write(f"Tolpuddle:  {url}")
        self.stdout.write(f"Sign in at: {urljoin(url, reverse('login'))}")
        rows = demo.demo_signin_rows()
        if not rows:
            self.stdout.write(
                "The demo union is not loaded, so there are no demo sign-ins "
                "(`tolpuddle demo` loads it into an empty register)."
            )
            return
        self.stdout.write("")
        self.stdout.write(
            f"Demo sign-ins (the same password for all: {demo.DEMO_PASSWORD}):"
        )
        table = [
            ("username", "password", "who"),
            *((r.username, r.password, r.who) for r in rows),
        ]
        widths = [max(len(row[column]) for row in table) for column in range(2)]
        for username, password, who in table:
            self.stdout.write(
                f"  {username.ljust(widths[0])}  {password.ljust(widths[1])}  {who}"
            )
        missing = [
            s.username
            for s in demo.DEMO_SIGNINS
            if s.username not in {r.username for r in rows}
        ]
        if missing:
            self.stdout.write(f"Missing from this database: {', '.join(missing)}.")
