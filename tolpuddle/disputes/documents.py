"""The documents a ballot sends to employers: the notice of ballot (s.226A) as plain
text and as a PDF, and the sample voting paper (s.226A(1)(b), s.229) as a PDF.

A notice's content is built once, from the frozen electorate, and kept on the
``BallotNotice`` (``notice_content``); the text and the PDF are both made from that
content, so that they say the same and can be made again as they were given.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from tolpuddle.disputes import law, selectors
from tolpuddle.disputes.models import Ballot, BallotNotice, QuestionKind
from tolpuddle.disputes.statements import Statement
from tolpuddle.members.models import Employer, Workplace


def _long_date(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _listed(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _explanation(
    *, ballot: Ballot, employer: Employer, figures: selectors.NoticeFigures
) -> str:
    """How the figures were arrived at (s.226A(2)(c)(ii), (2A))."""
    assert ballot.electorate_on is not None  # noqa: S101 - notices follow a freeze
    scope = ""
    if ballot.job_categories:
        scope += f" in the job categories {_listed(list(ballot.job_categories))}"
    workplaces = list(
        Workplace.objects.filter(ballots=ballot, employer=employer)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if workplaces:
        scope += f" at the workplaces {_listed(workplaces)}"
    arrears = ""
    if ballot.exclude_arrears:
        arrears = ", and not in arrears with their subscriptions"
        if ballot.arrears_grace_days:
            arrears += f" for more than {ballot.arrears_grace_days} days"
    text = (
        f"These figures are from the union's membership register as at "
        f"{_long_date(ballot.electorate_on)}: members in good standing recorded as "
        f"employed by {employer.name} on that date{scope}{arrears}. Job categories "
        "and workplaces are as recorded by members or from the employer's check-off "
        "data. The figures are as accurate as is reasonably practicable in the light "
        "of the information in the union's possession."
    )
    if figures.check_off:
        text += (
            f" {figures.check_off} of these members pay their subscriptions by "
            f"deduction from their pay by {employer.name} (check-off)."
        )
    return text


def notice_content(*, ballot: Ballot, employer: Employer) -> dict[str, Any]:
    """What the notice of ballot to ``employer`` says, from the frozen electorate:
    the union's intention to hold the ballot, the opening day, the categories and
    workplaces with the total and the numbers in each, and how the figures were
    arrived at (s.226A(2)). JSON-ready, to be kept as given."""
    figures = selectors.notice_figures(ballot=ballot, employer=employer)
    return {
        "union": settings.TOLPUDDLE_UNION_NAME,
        "employer": employer.name,
        "ballot": ballot.title,
        "dispute": ballot.dispute.title,
        "regime": law.regime_for(opening_on=ballot.opening_on).value,
        "opening_on": ballot.opening_on.isoformat(),
        "electorate_on": ballot.electorate_on.isoformat()
        if ballot.electorate_on
        else None,
        "total": figures.total,
        "categories": [
            {"name": row.label, "count": row.count} for row in figures.categories
        ],
        "workplaces": [
            {"name": row.label, "address": row.detail, "count": row.count}
            for row in figures.workplaces
        ],
        "check_off": figures.check_off,
        "explanation": _explanation(ballot=ballot, employer=employer, figures=figures),
    }


def notice_text(content: dict[str, Any]) -> str:
    """The notice of ballot as plain text."""
    opening_on = datetime.date.fromisoformat(content["opening_on"])
    lines = [
        "NOTICE OF BALLOT FOR INDUSTRIAL ACTION",
        "Trade Union and Labour Relations (Consolidation) Act 1992, section 226A",
        "",
        f"To: {content['employer']}",
        f"From: {content['union']}",
        "",
        f"{content['union']} gives notice that it intends to hold a ballot of its "
        f"members for industrial action ({content['ballot']}) in the trade dispute "
        f"{content['dispute']}.",
        "",
        f"The opening day of the ballot will be {_long_date(opening_on)}.",
        "",
        "THE EMPLOYEES CONCERNED",
        f"Total number of employees concerned: {content['total']}",
        "",
        "Categories of employee, and the number in each:",
        *(f"  {row['name']}: {row['count']}" for row in content["categories"]),
        "",
        "Workplaces, and the number at each:",
        *(_workplace_line(row) for row in content["workplaces"]),
        "",
        "HOW THESE FIGURES WERE ARRIVED AT",
        content["explanation"],
        "",
    ]
    return "\n".join(lines)


def _workplace_line(row: dict[str, Any]) -> str:
    address = f" ({row['address']})" if row["address"] else ""
    return f"  {row['name']}{address}: {row['count']}"


def notice_pdf(*, notice: BallotNotice) -> bytes:
    """The notice of ballot as given, as a PDF."""
    from weasyprint import HTML

    content = notice.content
    html = render_to_string(
        "disputes/notice_pdf.html",
        {
            "content": content,
            "opening_on": datetime.date.fromisoformat(content["opening_on"]),
            "given_on": notice.given_on,
        },
    )
    return bytes(HTML(string=html).write_pdf())


@dataclass(frozen=True)
class VotingPaper:
    """What a voting paper of the ballot carries (s.229)."""

    union: str
    ballot: str
    employer: str
    regime: law.Regime
    scrutineer_name: str
    return_address: str
    return_by: datetime.date
    questions: list[str]
    statements: tuple[Statement, ...]
    authorised_to_call_action: str
    summary: str
    action_short_of_strike_types: str
    expected_action_period: str
    statutory: bool


def voting_paper(*, ballot: Ballot, employer: Employer) -> VotingPaper:
    regime = law.regime_for(opening_on=ballot.opening_on)
    statutory = ballot.is_statutory
    extras = statutory and law.voting_paper_has_2016_content(regime=regime)
    asks_asos = ballot.questions.filter(
        kind=QuestionKind.ACTION_SHORT_OF_STRIKE
    ).exists()
    return VotingPaper(
        union=settings.TOLPUDDLE_UNION_NAME,
        ballot=ballot.title,
        employer=employer.name,
        regime=regime,
        scrutineer_name=ballot.scrutineer_name,
        return_address=ballot.return_address,
        return_by=ballot.closing_on,
        questions=[q.text for q in ballot.questions.order_by("position")],
        statements=law.voting_paper_statements(regime=regime) if statutory else (),
        authorised_to_call_action=ballot.authorised_to_call_action if statutory else "",
        summary=ballot.dispute.summary if extras else "",
        action_short_of_strike_types=ballot.action_short_of_strike_types
        if extras and asks_asos
        else "",
        expected_action_period=ballot.expected_action_period if extras else "",
        statutory=statutory,
    )


def sample_voting_paper_pdf(*, ballot: Ballot, employer: Employer) -> bytes:
    """The sample voting paper for ``employer`` (s.226A(1)(b)), as a PDF."""
    from weasyprint import HTML

    paper = voting_paper(ballot=ballot, employer=employer)
    html = render_to_string(
        "disputes/voting_paper_pdf.html",
        {"paper": paper, "sample": True, "regime_name": law.REGIME_NAMES[paper.regime]},
    )
    return bytes(HTML(string=html).write_pdf())
