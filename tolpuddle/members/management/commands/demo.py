"""tolpuddle demo [--if-empty] [--members N] [--seed S]: load the demo union."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tolpuddle.members import demo


class Command(BaseCommand):
    help = (
        "Build the demo union in an empty register: fictional probation and family court "
        "staff in England, Wales and Northern Ireland, their jobs through the 2014 and "
        "2021 reorganisations of probation, reps, branch officers and sign-ins. The same "
        "seed always builds the same union."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and say so) if the register already holds data",
        )
        parser.add_argument(
            "--members",
            type=int,
            default=demo.DEFAULT_MEMBERS,
            help=f"how many memberships to build (default {demo.DEFAULT_MEMBERS:,}, "
            f"at least {demo.MINIMUM_MEMBERS})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"another seed builds another union of the same shape (default {demo.DEFAULT_SEED})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        members: int = options["members"]
        if members < demo.MINIMUM_MEMBERS:
            raise CommandError(f"--members must be at least {demo.MINIMUM_MEMBERS}.")
        contents = demo.demo_register_contents()
        if contents:
            found = ", ".join(contents[:3]) + (
                ", and more" if len(contents) > 3 else ""
            )
            if options["if_empty"]:
                self.stdout.write(
                    f"The register already holds data ({found}); the demo union was not loaded."
                )
                return
            raise CommandError(
                f"The register already holds data ({found}). The demo union is only built "
                "in an empty register, so nothing was changed. To start again from empty, "
                "delete the database (for SQLite, var/tolpuddle.sqlite3) and run "
                "`tolpuddle migrate`; `tolpuddle demo --if-empty` skips this quietly."
            )
        try:
            summary = demo.demo_build(members=members, seed=options["seed"])
        except demo.DemoError as error:
            raise CommandError(str(error)) from None
        statuses = ", ".join(
            f"{count:,} {status}" for status, count in sorted(summary.by_status.items())
        )
        self.stdout.write(
            f"Built the demo union, as at {demo.AS_AT:%d/%m/%Y}, in {summary.seconds:.1f} seconds: "
            f"{summary.members:,} memberships ({statuses}), {summary.employers} employers, "
            f"{summary.workplaces} workplaces, {summary.branches} branches in "
            f"{summary.regions} regions, {summary.employments:,} jobs, "
            f"{summary.positions:,} positions and {summary.events:,} history entries."
        )
        action = summary.industrial_action
        if action is not None:
            self.stdout.write(
                f"Industrial action, dated from today: {action.disputes} disputes, "
                f"{action.ballots} ballots ({action.said_voted} members said they "
                f"voted, {action.took_part} whether they took part in a strike day, "
                f"{action.votes} voted online)."
            )
        usernames = ", ".join(s.username for s in demo.DEMO_SIGNINS)
        self.stdout.write(
            f"Sign in as {usernames} with the password {demo.DEMO_PASSWORD} "
            "(`tolpuddle demo_signins` says who each is)."
        )
