"""The notice of industrial action to an employer (s.234A), as text and as a PDF.

Its content is built once, when the notice is prepared, from the frozen electorate
(as the notice of ballot was, s.226A) less the members since marked as having left,
and, where the ballot was held as separate workplace ballots, only at the
workplaces whose own ballot supports the action (s.226(3)). It is kept on the
``ActionNotice``; the text and the PDF are made from it. What it must say is read
from the regime's ``action_notice`` statements by key (``ACTION_NOTICE_CARRIES``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from tolpuddle.disputes import law, selectors
from tolpuddle.disputes.documents.common import (
    listed,
    long_date,
    pdf_from_html,
    sentence,
    shared_sentence,
)
from tolpuddle.disputes.documents.results import ACTION_NAMES
from tolpuddle.disputes.models import ActionNotice, Ballot
from tolpuddle.members.models import Employer, Workplace


def _explanation(
    *,
    ballot: Ballot,
    employer: Employer,
    action: str,
    figures: selectors.NoticeFigures,
    separate: bool,
) -> str:
    assert ballot.electorate_on is not None  # noqa: S101 - a result follows a freeze
    scope = ""
    if ballot.job_categories:
        scope += f" in the job categories {listed(list(ballot.job_categories))}"
    balloted = list(
        Workplace.objects.filter(ballots=ballot, employer=employer)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if balloted:
        scope += f" at the workplaces {listed(balloted)}"
    arrears = (
        ", and not in arrears with their subscriptions"
        if ballot.exclude_arrears
        else ""
    )
    text = (
        f"These figures are of the members entitled to vote in the ballot "
        f"{ballot.title}: from the union's membership register as at "
        f"{long_date(ballot.electorate_on)}, members in good standing recorded as "
        f"employed by {employer.name} on that date{scope}{arrears}, with those who "
        "joined since and were added to the ballot, and without those the union "
        "knows to have left the union or the employer since."
    )
    if separate:
        text += (
            f" The ballot was held as a separate ballot at each workplace: only the "
            f"workplaces whose ballot supports {ACTION_NAMES[action]} are counted."
        )
    text += (
        " Job categories and workplaces are as recorded by members or from the "
        "employer's check-off data. The figures are as accurate as is reasonably "
        "practicable in the light of the information in the union's possession."
    )
    if figures.check_off:
        text += (
            f" {figures.check_off} of these members pay their subscriptions by "
            f"deduction from their pay by {employer.name} (check-off)."
        )
    return text + shared_sentence(figures.shared)


def action_notice_content(
    *,
    ballot: Ballot,
    employer: Employer,
    action: str,
    continuous: bool,
    start_on: datetime.date | None,
    days: Sequence[datetime.date],
    workplaces: Collection[int] | None,
    mandate_expires_on: datetime.date,
) -> dict[str, Any]:
    """What the notice of industrial action to ``employer`` says (s.234A(3)): the
    affected employees (lists, total, numbers, explanation), whether the action is
    continuous (and when it starts) or discontinuous (and on which days), and which
    action it is. JSON-ready, to be kept as given."""
    figures = selectors.notice_figures(
        ballot=ballot,
        employer=employer,
        only_workplaces=workplaces,
        current_only=True,
    )
    assert ballot.result_declared_on is not None  # noqa: S101 - checked by the service
    return {
        "union": settings.TOLPUDDLE_UNION_NAME,
        "employer": employer.name,
        "ballot": ballot.title,
        "dispute": ballot.dispute.title,
        "regime": law.regime_for(opening_on=ballot.opening_on).slug,
        "closing_on": ballot.closing_on.isoformat(),
        "declared_on": ballot.result_declared_on.isoformat(),
        "action": action,
        "action_name": ACTION_NAMES[action],
        "continuous": continuous,
        "start_on": start_on.isoformat() if start_on else None,
        "days": [day.isoformat() for day in days],
        "total": figures.total,
        "categories": [
            {"name": row.label, "count": row.count} for row in figures.categories
        ],
        "workplaces": [
            {"name": row.label, "address": row.detail, "count": row.count}
            for row in figures.workplaces
        ],
        "workplace_ids": [row.key for row in figures.workplaces if row.key is not None],
        "no_workplace": sum(r.count for r in figures.workplaces if r.key is None),
        "check_off": figures.check_off,
        "explanation": _explanation(
            ballot=ballot,
            employer=employer,
            action=action,
            figures=figures,
            separate=workplaces is not None,
        ),
        "mandate_expires_on": mandate_expires_on.isoformat(),
    }


def action_notice_parts(content: dict[str, Any]) -> dict[str, Any]:
    """The notice's sentences, for the text and the PDF alike."""
    declared = long_date(datetime.date.fromisoformat(content["declared_on"]))
    action = content["action_name"]
    intro = [
        "This notice is given for the purposes of section 234A of the Trade Union and "
        "Labour Relations (Consolidation) Act 1992.",
        f"{content['union']} gives notice that it intends to call upon its members "
        f"employed by {content['employer']} described below to take part in "
        f"industrial action ({action}), following the ballot {content['ballot']} in "
        f"the trade dispute {content['dispute']}, whose result was declared on "
        f"{declared}.",
    ]
    if content["continuous"]:
        start = long_date(datetime.date.fromisoformat(content["start_on"]))
        when = (
            "The industrial action is intended to be continuous. The intended date for "
            f"any of the affected employees to begin to take part in it is {start}."
        )
        days: list[str] = []
    else:
        when = (
            "The industrial action is intended to be discontinuous. The intended dates "
            "on which any of the affected employees are to take part in it are:"
        )
        days = [long_date(datetime.date.fromisoformat(d)) for d in content["days"]]
    if content["action"] == "strike":
        kind = "The action on each of these dates is a strike."
    else:
        kind = (
            "The action on each of these dates is action short of a strike, not a "
            "strike."
        )
    return {"intro": intro, "when": when, "days": days, "kind_of_action": kind}


def action_notice_text(content: dict[str, Any]) -> str:
    """The notice of industrial action as plain text."""
    parts = action_notice_parts(content)
    lines = [
        "NOTICE OF INDUSTRIAL ACTION",
        "Trade Union and Labour Relations (Consolidation) Act 1992, section 234A",
        "",
        f"To: {content['employer']}",
        f"From: {content['union']}",
        "",
    ]
    for paragraph in parts["intro"]:
        lines += [paragraph, ""]
    lines.append(parts["when"])
    lines += [f"  {day}" for day in parts["days"]]
    lines += [parts["kind_of_action"], ""]
    lines += [
        "THE AFFECTED EMPLOYEES",
        f"Total number of affected employees: {content['total']}",
        "",
        "Categories of employee, and the number in each:",
        *(f"  {row['name']}: {row['count']}" for row in content["categories"]),
        "",
        "Workplaces, and the number at each:",
        *(
            f"  {row['name']}{' (' + row['address'] + ')' if row['address'] else ''}: "
            f"{row['count']}"
            for row in content["workplaces"]
        ),
        "",
        "HOW THESE FIGURES WERE ARRIVED AT",
        content["explanation"],
        "",
    ]
    return "\n".join(lines)


ACTION_NOTICE_CARRIES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "employee_categories": lambda content: bool(content["categories"]),
    "workplaces": lambda content: bool(content["workplaces"]),
    "total_employees": lambda content: content["total"] > 0,
    "numbers_by_category": lambda content: all(
        "count" in row for row in content["categories"]
    ),
    "numbers_by_workplace": lambda content: all(
        "count" in row for row in content["workplaces"]
    ),
    "explanation_of_figures": lambda content: bool(content["explanation"]),
    "continuous_or_discontinuous": lambda content: isinstance(
        content["continuous"], bool
    ),
    "action_dates": lambda content: bool(
        content["start_on"] if content["continuous"] else content["days"]
    ),
    # Every notice says whether the action on its dates is a strike (s.234A(3)(ba),
    # while the Strikes (Minimum Service Levels) Act 2023 was in force).
    "minimum_service_strike_days": lambda content: (
        content["action"] in ("strike", "action_short_of_strike")
    ),
}


def action_notice_problems(*, content: dict[str, Any], regime: law.Regime) -> list[str]:
    """What a notice of industrial action with ``content`` lacks for the regime."""
    problems = []
    for statement in regime.action_notice:
        carries = ACTION_NOTICE_CARRIES.get(statement.key)
        if carries is None or not carries(content):
            problems.append(
                f"The notice of industrial action must give {sentence(statement)}."
            )
    return problems


def action_notice_pdf(*, notice: ActionNotice) -> bytes:
    """The notice of industrial action as prepared (and given), as a PDF."""
    html = render_to_string(
        "disputes/action_notice_pdf.html",
        {
            "content": notice.content,
            "text": action_notice_parts(notice.content),
            "given_on": notice.given_on,
        },
    )
    return pdf_from_html(html)
