"""tolpuddle ballot_notices BALLOT_ID --out DIR [--jobs N]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tolpuddle.disputes import documents, selectors
from tolpuddle.disputes.models import Ballot


class Command(BaseCommand):
    help = (
        "Write a ballot's notices of ballot (s.226A), one to each employer, as text "
        "and as PDF, into a directory: for printing or sending them all at once. "
        "Prepare them first (in the back office). See docs/disputes.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ballot", type=int, help="the ballot's id")
        parser.add_argument("--out", type=Path, required=True, help="the directory")
        parser.add_argument(
            "--jobs",
            type=int,
            help="PDFs laid out at once, in separate processes (default: one a CPU)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ballot = Ballot.objects.filter(pk=options["ballot"]).first()
        if ballot is None:
            raise CommandError(f"There is no ballot {options['ballot']}.")
        if options["jobs"] is not None and options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1.")
        if not selectors.ballot_notices(ballot=ballot).exists():
            raise CommandError(
                f"“{ballot}” has no notices of ballot yet: prepare them first."
            )
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is a file, not a directory.")

        def done(number: int, of: int, path: Path) -> None:
            self.stdout.write(f"{number}/{of}\t{path}")

        documents.notices_write(
            ballot=ballot, directory=out, jobs=options["jobs"], on_notice=done
        )
