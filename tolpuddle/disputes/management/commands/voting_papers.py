"""tolpuddle voting_papers BALLOT_ID --out DIR [--size N] [--batch N] [--list]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tolpuddle.disputes import documents, selectors
from tolpuddle.disputes.models import Ballot


class Command(BaseCommand):
    help = (
        "Write a ballot's postal voting papers (one PDF for each batch of at most "
        "--size papers, employer by employer) and the independent scrutineer's mail "
        "merge CSV. Number the papers first (services.ballot_papers_number). "
        "See docs/disputes.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ballot", type=int, help="the ballot's id")
        parser.add_argument("--out", type=Path, help="the directory to write into")
        parser.add_argument(
            "--size", type=int, default=500, help="papers in each PDF (default 500)"
        )
        parser.add_argument(
            "--batch",
            type=int,
            help="write only this batch (from 1), e.g. one per worker; no CSV",
        )
        parser.add_argument(
            "--list", action="store_true", help="list the batches and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ballot = Ballot.objects.filter(pk=options["ballot"]).first()
        if ballot is None:
            raise CommandError(f"There is no ballot {options['ballot']}.")
        if ballot.papers_numbered_at is None:
            raise CommandError(
                f"The papers of “{ballot}” are not numbered yet: number them first."
            )
        if options["size"] < 1:
            raise CommandError("--size must be at least 1.")
        batches = selectors.voting_paper_batches(ballot=ballot, size=options["size"])
        if options["list"]:
            for number, batch in enumerate(batches, start=1):
                self.stdout.write(
                    f"{number}\t{batch.employer_name}\t{batch.first}-{batch.last}\t"
                    f"{batch.count} papers"
                )
            return
        if options["out"] is None:
            raise CommandError("Give --out, the directory to write the papers into.")
        only = options["batch"]
        if only is not None and not 1 <= only <= len(batches):
            raise CommandError(
                f"There are {len(batches)} batches: choose 1 to {len(batches)}."
            )
        missing = selectors.electors_without_address(ballot=ballot).count()
        if missing:
            self.stderr.write(
                f"{missing} members of the electorate have no home address: their "
                "papers cannot be posted (s.230(2)). Find their addresses."
            )

        def done(number: int, of: int, path: Path) -> None:
            self.stdout.write(f"{number}/{of}\t{path}")

        written = documents.voting_papers_write(
            ballot=ballot,
            directory=options["out"],
            size=options["size"],
            only=only,
            on_batch=done,
        )
        if only is None:
            self.stdout.write(f"mail merge\t{written[-1]}")
