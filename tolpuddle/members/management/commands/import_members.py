"""tolpuddle import_members FILE [--dry-run] [--report REPORT.json] [--map MAP.json]"""

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from tolpuddle.members.importer import ImportFileError, members_import


class Command(BaseCommand):
    help = (
        "Load a membership register exported from another system (CSV). Keyed on "
        "membership number: running the same file again changes nothing. See docs/import.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file to import")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every row and report what would happen, writing nothing",
        )
        parser.add_argument(
            "--report", type=Path, help="write the report (JSON) to this file"
        )
        parser.add_argument(
            "--map",
            type=Path,
            dest="map_path",
            help='a JSON file renaming the file\'s headers, e.g. {"Member No": "membership_number"}',
        )
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="the file's encoding (default UTF-8, with or without a byte-order mark; "
            "Excel often uses cp1252)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=10000, help="rows written per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        show_progress = options["verbosity"] > 0
        bar: tqdm[Any] | None = None

        def on_start(total: int) -> None:
            nonlocal bar
            if show_progress:
                # The wrapper's own stream: OutputWrapper.write would add a newline
                # to each redraw of the bar.
                stream = cast(TextIO, self.stderr._out)
                bar = tqdm(total=total, unit=" rows", desc="Importing", file=stream)

        def on_progress(done: int) -> None:
            if bar is not None:
                bar.update(done - bar.n)

        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            report = members_import(
                path=options["file"],
                encoding=options["encoding"],
                map_path=options["map_path"],
                dry_run=options["dry_run"],
                on_start=on_start,
                on_progress=on_progress,
                batch_size=options["batch_size"],
            )
        except ImportFileError as error:
            raise CommandError(f"Could not import {options['file']}: {error}") from None
        finally:
            if bar is not None:
                bar.close()
        if options["report"]:
            try:
                report.write_json(options["report"])
            except OSError as error:
                raise CommandError(f"Could not write the report: {error}") from None
        prefix = "Dry run (nothing written): " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.rejected} rejected."
        )
        for label, names in (
            ("branches", report.created_branches),
            ("employers", report.created_employers),
            (
                "workplaces",
                [f"{w['name']} ({w['employer']})" for w in report.created_workplaces],
            ),
        ):
            if names:
                verb = "would be created" if report.dry_run else "created"
                shown = ", ".join(names[:10]) + (
                    f" and {len(names) - 10} more" if len(names) > 10 else ""
                )
                self.stdout.write(f"New {label} {verb}: {shown}")
        if report.ignored_columns:
            self.stdout.write(f"Columns ignored: {', '.join(report.ignored_columns)}")
        for rejection in report.rejections[:20]:
            column = f", {rejection.column}" if rejection.column else ""
            self.stdout.write(
                f"  line {rejection.line}{column} ({rejection.membership_number or 'no number'}): "
                f"{rejection.reason}"
            )
        if report.rejected > 20:
            where = (
                f"; all of them are in {options['report']}"
                if options["report"]
                else "; use --report to see them all"
            )
            self.stdout.write(
                f"  ...and {report.rejected - 20} more rejected rows{where}."
            )
