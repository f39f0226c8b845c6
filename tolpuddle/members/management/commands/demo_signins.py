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
            ("email", "who"),
            *(
                (r.email, r.who + (" (two-factor)" if r.second_factor else ""))
                for r in rows
            ),
        ]
        width = max(len(row[0]) for row in table)
        for email, who in table:
            self.stdout.write(f"  {email.ljust(width)}  {who}")
        if any(r.second_factor for r in rows):
            self.stdout.write("")
            self.stdout.write(
                "Two-factor sign-ins ask for a code: `tolpuddle demo_code` prints it, "
                f"or add the key {demo.DEMO_TOTP_SECRET} to an authenticator app."
            )
        self._industrial_action(url)
        missing = [
            s.username
            for s in demo.DEMO_SIGNINS
            if s.username not in {r.username for r in rows}
        ]
        if missing:
            self.stdout.write(f"Missing from this database: {', '.join(missing)}.")

    def _industrial_action(self, url: str) -> None:
        from tolpuddle.disputes.demo import demo_disputes_lines

        lines = demo_disputes_lines()
        if not lines:
            return
        self.stdout.write("")
        self.stdout.write(
            "Industrial action in the demo (dated from the day it was built):"
        )
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            "The member sign-in is balloted: see "
            f"{urljoin(url, reverse('disputes:my_ballots'))}, "
            f"{urljoin(url, reverse('action:my_action'))} and "
            f"{urljoin(url, reverse('voting:my_polls'))} (the consultation, not yet "
            "voted in). Staff see them under Industrial action and Getting the vote "
            f"out in the back office, {urljoin(url, '/admin/')}."
        )
