"""tolpuddle ballot_timetable --opening D --closing D [--result-on D] [--notice-on D] [--json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tolpuddle.ballot_law import calculations
from tolpuddle.ballot_law.exceptions import BallotLawError
from tolpuddle.ballot_law.management.arguments import parse_day, uk_day


def timetable_as_json(timetable: calculations.BallotTimetable) -> dict[str, Any]:
    """The command's JSON: dates as YYYY-MM-DD, null where there is none."""

    def iso(day: Any) -> str | None:
        return None if day is None else str(day.isoformat())

    regime = timetable.regime
    notice = timetable.action_notice
    data: dict[str, Any] = {
        "regime": regime.slug,
        "regime_name": regime.name,
        "opening": iso(timetable.opening),
        "closing": iso(timetable.closing),
        "result_on": iso(timetable.result_on),
        "notice_on": iso(timetable.notice_on),
        "ballot_notice_by": iso(timetable.ballot_notice_by),
        "sample_paper_by": iso(timetable.sample_paper_by),
        "mandate_expires": iso(timetable.mandate_expires),
        "mandate_expires_if_extended": iso(timetable.mandate_expires_if_extended),
        "mandate_covers": regime.mandate_covers.value,
        "action_notice_days": notice.days,
        "action_notice_days_by_agreement": notice.days_by_agreement,
        "action_notice_regime": notice.regime.slug,
    }
    if timetable.notice_on is not None:
        data["earliest_action"] = iso(timetable.earliest_action)
        data["earliest_action_by_agreement"] = iso(
            timetable.earliest_action_by_agreement
        )
    data["electronic_voting_permitted"] = regime.electronic_voting_permitted
    data["warnings"] = list(timetable.warnings)
    data["cites"] = {
        "regime": regime.commencement.cites,
        "date_of_the_ballot": "TULRCA s.246 (the last day on which votes may be cast)",
        "ballot_notice_by": regime.ballot_notice_days.cites,
        "sample_paper_by": regime.sample_paper_days.cites,
        "mandate_expires": regime.mandate.cites,
        "mandate_expires_if_extended": regime.mandate_if_extended.cites,
        "action_notice_days": notice.cites,
        "action_notice_days_by_agreement": (
            notice.regime.action_notice_days_by_agreement.cites
        ),
    }
    return data


class Command(BaseCommand):
    help = (
        "The statutory timetable of an industrial-action ballot: which rules apply, "
        "when the employer must have the ballot notice and sample paper, when the "
        "mandate ends, and the notice of action. See docs/ballot-law.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--opening",
            required=True,
            help="the opening day: the first day a voting paper is sent (YYYY-MM-DD)",
        )
        parser.add_argument(
            "--closing",
            required=True,
            help="the closing day: the last day votes may be cast, the 'date of the "
            "ballot' (YYYY-MM-DD)",
        )
        parser.add_argument(
            "--result-on", help="the day the result was declared (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--notice-on",
            help="the day the employer receives notice of industrial action (YYYY-MM-DD)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print JSON instead of a table"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        opening = parse_day(options["opening"], option="--opening")
        closing = parse_day(options["closing"], option="--closing")
        assert opening is not None and closing is not None  # noqa: S101 - required
        try:
            timetable = calculations.ballot_timetable(
                opening=opening,
                closing=closing,
                result_on=parse_day(options["result_on"], option="--result-on"),
                notice_on=parse_day(options["notice_on"], option="--notice-on"),
            )
        except BallotLawError as error:
            raise CommandError(error.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(timetable_as_json(timetable), indent=2))
            return
        self.stdout.write(self._table(timetable))

    def _table(self, timetable: calculations.BallotTimetable) -> str:
        regime = timetable.regime
        notice = timetable.action_notice
        rows: list[tuple[str, str, str]] = [
            ("Rules", f"{regime.name} ({regime.slug})", f"for {regime.applies_to}"),
            ("Ballot opens", uk_day(timetable.opening), ""),
            ("Ballot closes", uk_day(timetable.closing), "TULRCA s.246"),
        ]
        if timetable.result_on is not None:
            rows.append(("Result declared", uk_day(timetable.result_on), ""))
        rows += [
            (
                "Ballot notice to employer by",
                uk_day(timetable.ballot_notice_by),
                regime.ballot_notice_days.cites,
            ),
            (
                "Sample voting paper by",
                uk_day(timetable.sample_paper_by),
                regime.sample_paper_days.cites,
            ),
            (
                "Mandate's last day",
                uk_day(timetable.mandate_expires),
                f"{regime.mandate.value} ({regime.mandate.cites})",
            ),
            (
                "... if extended by agreement",
                uk_day(timetable.mandate_expires_if_extended)
                if timetable.mandate_expires_if_extended
                else "cannot be extended",
                regime.mandate_if_extended.cites,
            ),
            (
                "Notice of action",
                f"{notice.days} days"
                + (
                    f" ({notice.days_by_agreement} by agreement)"
                    if notice.days_by_agreement
                    else ""
                ),
                notice.cites,
            ),
        ]
        if timetable.notice_on is not None and timetable.earliest_action is not None:
            rows.append(("Notice received", uk_day(timetable.notice_on), ""))
            rows.append(
                ("Earliest day of action", uk_day(timetable.earliest_action), "")
            )
            if timetable.earliest_action_by_agreement is not None:
                rows.append(
                    (
                        "... with shorter notice agreed",
                        uk_day(timetable.earliest_action_by_agreement),
                        "",
                    )
                )
        rows.append(
            (
                "Voting",
                "postal or electronic"
                if regime.electronic_voting_permitted
                else "postal only",
                regime.postal_voting.cites,
            )
        )
        width = max(len(label) for label, _value, _cites in rows)
        value_width = max(len(value) for _label, value, _cites in rows)
        lines = [
            f"{label:<{width}}  {value:<{value_width}}  {cites}".rstrip()
            for label, value, cites in rows
        ]
        lines.extend(f"Warning: {warning}" for warning in timetable.warnings)
        return "\n".join(lines)
