"""tolpuddle ballot_outcome --opening D --entitled N --yes N --no N --spoiled N
[--important-public-service] [--json]"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tolpuddle.ballot_law import calculations
from tolpuddle.ballot_law.exceptions import BallotLawError
from tolpuddle.ballot_law.management.arguments import parse_count, parse_day


def outcome_as_json(outcome: calculations.BallotOutcome) -> dict[str, Any]:
    """The command's JSON: shares as numbers (0.46), null where the regime has no
    such threshold."""

    def number(share: Fraction | None) -> float | None:
        return None if share is None else float(share)

    regime = outcome.regime
    return {
        "regime": regime.slug,
        "regime_name": regime.name,
        "entitled": outcome.entitled,
        "yes": outcome.yes,
        "no": outcome.no,
        "spoiled": outcome.spoiled,
        "votes_cast": outcome.votes_cast,
        "important_public_service": outcome.important_public_service,
        "turnout": number(outcome.turnout),
        "turnout_threshold": number(outcome.turnout_threshold),
        "turnout_threshold_met": outcome.turnout_threshold_met,
        "support": number(outcome.support),
        "support_threshold": number(outcome.support_threshold),
        "support_threshold_met": outcome.support_threshold_met,
        "majority_yes": outcome.majority_yes,
        "mandate": outcome.mandate,
        "reasons": list(outcome.reasons),
        "warnings": list(outcome.warnings),
        "cites": {
            "regime": regime.commencement.cites,
            "turnout_threshold": regime.turnout_threshold.cites,
            "support_threshold": regime.support_threshold.cites,
            "majority_yes": regime.majority.cites,
        },
    }


class Command(BaseCommand):
    help = (
        "Whether an industrial-action ballot's result gives a mandate under the rules "
        "of its opening day (one question at a time). See docs/ballot-law.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--opening", required=True, help="the ballot's opening day (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--entitled", required=True, help="the number entitled to vote"
        )
        parser.add_argument("--yes", required=True, help="the number answering Yes")
        parser.add_argument("--no", required=True, help="the number answering No")
        parser.add_argument(
            "--spoiled", required=True, help="the number of spoiled or invalid papers"
        )
        parser.add_argument(
            "--important-public-service",
            action="store_true",
            help="the majority of those entitled are normally engaged in important "
            "public services (the 40%% test, where the rules have it)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print JSON instead of a summary"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        opening = parse_day(options["opening"], option="--opening")
        assert opening is not None  # noqa: S101 - required
        counts = {
            name: parse_count(options[name], option=f"--{name}")
            for name in ("entitled", "yes", "no", "spoiled")
        }
        try:
            outcome = calculations.ballot_outcome(
                opening=opening,
                entitled=counts["entitled"],
                yes=counts["yes"],
                no=counts["no"],
                spoiled=counts["spoiled"],
                important_public_service=options["important_public_service"],
            )
        except BallotLawError as error:
            raise CommandError(error.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(outcome_as_json(outcome), indent=2))
            return
        self.stdout.write(self._summary(outcome))

    def _summary(self, outcome: calculations.BallotOutcome) -> str:
        def test(name: str, met: bool | None) -> str:
            if met is None:
                return f"{name} does not apply"
            return f"{name} {'met' if met else 'NOT met'}"

        regime = outcome.regime
        lines = [
            f"Rules:      {regime.name} ({regime.slug})",
            f"Votes cast: {outcome.votes_cast:,} of {outcome.entitled:,} entitled "
            f"(Yes {outcome.yes:,}, No {outcome.no:,}, spoiled {outcome.spoiled:,})",
            f"Turnout:    {calculations.format_percent(outcome.turnout)}; "
            + test("50% turnout test", outcome.turnout_threshold_met),
            f"Support:    {calculations.format_percent(outcome.support)} of those "
            "entitled answered Yes; "
            + test("40% support test", outcome.support_threshold_met),
            f"Majority:   {'Yes' if outcome.majority_yes else 'no majority for Yes'}",
            f"Mandate:    {'YES' if outcome.mandate else 'NO'}",
        ]
        lines.extend(f"  - {reason}" for reason in outcome.reasons)
        lines.extend(f"Warning: {warning}" for warning in outcome.warnings)
        return "\n".join(lines)
