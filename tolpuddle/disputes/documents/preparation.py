"""The documents a ballot sends to employers: the notice of ballot (s.226A) as plain
text and as a PDF, and the sample voting paper (s.226A(1)(b), s.229) as a PDF.

A notice's content is built once, from the frozen electorate, and kept on the
``BallotNotice`` (``notice_content``); the text and the PDF are both made from that
content, so that they say the same and can be made again as they were given.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from tolpuddle.core.pdf import pdfs_from_html
from tolpuddle.disputes import law, selectors
from tolpuddle.disputes.documents.common import (
    file_slug,
    listed,
    long_date,
    pdf_from_html,
    sentence,
    shared_sentence,
)
from tolpuddle.disputes.models import Ballot, BallotNotice, QuestionKind
from tolpuddle.members.models import Employer, Workplace


def balloted_workplaces(*, ballot: Ballot) -> dict[int, list[str]]:
    """The names of the workplaces the ballot is limited to, by employer (empty where
    it takes in all of an employer's workplaces)."""
    names: dict[int, list[str]] = {}
    for employer_id, name in (
        Workplace.objects.filter(ballots=ballot)
        .order_by("name")
        .values_list("employer_id", "name")
    ):
        names.setdefault(employer_id, []).append(name)
    return names


def _explanation(
    *,
    ballot: Ballot,
    employer: Employer,
    figures: selectors.NoticeFigures,
    workplaces: list[str],
) -> str:
    """How the figures were arrived at (s.226A(2)(c)(ii), (2A))."""
    assert ballot.electorate_on is not None  # noqa: S101 - notices follow a freeze
    scope = ""
    if ballot.job_categories:
        scope += f" in the job categories {listed(list(ballot.job_categories))}"
    if workplaces:
        scope += f" at the workplaces {listed(workplaces)}"
    arrears = ""
    if ballot.exclude_arrears:
        arrears = ", and not in arrears with their subscriptions"
        if ballot.arrears_grace_days:
            arrears += f" for more than {ballot.arrears_grace_days} days"
    text = (
        f"These figures are from the union's membership register as at "
        f"{long_date(ballot.electorate_on)}: members in good standing recorded as "
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
    return text + shared_sentence(figures.shared)


def notice_content(
    *,
    ballot: Ballot,
    employer: Employer,
    figures: selectors.NoticeFigures | None = None,
    workplaces: dict[int, list[str]] | None = None,
) -> dict[str, Any]:
    """What the notice of ballot to ``employer`` says, from the frozen electorate:
    the union's intention to hold the ballot, the opening day, the categories and
    workplaces with the total and the numbers in each, and how the figures were
    arrived at (s.226A(2)). JSON-ready, to be kept as given.

    ``figures`` (from ``selectors.notice_figures_by_employer``) and ``workplaces``
    (``balloted_workplaces``), when given, save their queries: for many notices."""
    if figures is None:
        figures = selectors.notice_figures(ballot=ballot, employer=employer)
    if workplaces is None:
        workplaces = balloted_workplaces(ballot=ballot)
    return {
        "union": settings.TOLPUDDLE_UNION_NAME,
        "employer": employer.name,
        "ballot": ballot.title,
        "dispute": ballot.dispute.title,
        "regime": law.regime_for(opening_on=ballot.opening_on).slug,
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
        "explanation": _explanation(
            ballot=ballot,
            employer=employer,
            figures=figures,
            workplaces=workplaces.get(employer.pk, []),
        ),
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
        f"The opening day of the ballot will be {long_date(opening_on)}.",
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


def notice_html(*, notice: BallotNotice) -> str:
    """The notice of ballot as given, as the HTML its PDF is made from."""
    content = notice.content
    return render_to_string(
        "disputes/notice_pdf.html",
        {
            "content": content,
            "opening_on": datetime.date.fromisoformat(content["opening_on"]),
            "given_on": notice.given_on,
        },
    )


def notice_pdf(*, notice: BallotNotice) -> bytes:
    """The notice of ballot as given, as a PDF."""
    return pdf_from_html(notice_html(notice=notice))


def notices_write(
    *,
    ballot: Ballot,
    directory: Path,
    jobs: int | None = None,
    on_notice: Callable[[int, int, Path], None] | None = None,
) -> list[Path]:
    """Write each of the ballot's notices of ballot into ``directory``, as text and
    as PDF (``notice-<ballot>-<employer>.txt`` and ``.pdf``), the PDFs laid out by
    ``jobs`` processes at once (default: one for each CPU); the files written.
    ``on_notice(n, of, pdf_path)`` is called after each."""
    notices = list(selectors.ballot_notices(ballot=ballot).order_by("employer__name"))
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    htmls = [notice_html(notice=notice) for notice in notices]
    for number, (notice, pdf) in enumerate(
        zip(notices, pdfs_from_html(htmls, jobs=jobs), strict=True), start=1
    ):
        stem = (
            f"notice-{ballot.pk}-{file_slug(notice.employer.name)}-{notice.employer_id}"
        )
        text_path = directory / f"{stem}.txt"
        text_path.write_text(notice.text, encoding="utf-8")
        pdf_path = directory / f"{stem}.pdf"
        pdf_path.write_bytes(pdf)
        written += [text_path, pdf_path]
        if on_notice is not None:
            on_notice(number, len(notices), pdf_path)
    return written


@dataclass(frozen=True)
class VotingPaper:
    """What a voting paper of the ballot carries (s.229). ``wording`` holds the
    statements the regime prescribes word for word, each printed whole."""

    union: str
    ballot: str
    employer: str
    regime: law.Regime
    statutory: bool
    scrutineer_name: str
    return_address: str
    return_by: datetime.date
    questions: list[str]
    asks_action_short_of_strike: bool
    wording: tuple[law.Statement, ...]
    authorised_to_call_action: str
    summary: str
    action_short_of_strike_types: str
    expected_action_period: str


def voting_paper(*, ballot: Ballot, employer: Employer | None = None) -> VotingPaper:
    """The voting paper of ``ballot`` (as sent to ``employer``, for the sample): what
    its regime requires of a statutory ballot's paper (``Regime.voting_paper``) and
    nothing the regime has repealed; a consultative paper only asks its questions."""
    regime = law.regime_for(opening_on=ballot.opening_on)
    statutory = ballot.is_statutory
    required = {s.key for s in regime.voting_paper} if statutory else set()
    questions = list(ballot.questions.order_by("position"))
    asks_asos = any(q.kind == QuestionKind.ACTION_SHORT_OF_STRIKE for q in questions)
    return VotingPaper(
        union=settings.TOLPUDDLE_UNION_NAME,
        ballot=ballot.title,
        employer=employer.name if employer else "",
        regime=regime,
        statutory=statutory,
        scrutineer_name=ballot.scrutineer_name,
        return_address=ballot.return_address,
        return_by=ballot.closing_on,
        questions=[q.text for q in questions],
        asks_action_short_of_strike=asks_asos,
        wording=law.voting_paper_wording(regime=regime) if statutory else (),
        authorised_to_call_action=ballot.authorised_to_call_action
        if "authorised_person" in required
        else "",
        summary=ballot.dispute.summary if "dispute_summary" in required else "",
        action_short_of_strike_types=ballot.action_short_of_strike_types
        if "action_short_of_strike_types" in required and asks_asos
        else "",
        expected_action_period=ballot.expected_action_period
        if "action_periods" in required
        else "",
    )


def _printed(paper: VotingPaper, statement: law.Statement) -> bool:
    return any(statement.wording in printed.wording for printed in paper.wording)


# For each statement a regime may require of the voting paper (``Statement.key``),
# whether a paper carries it. A key not here is taken as missing, so that a rule
# added to ``tolpuddle.ballot_law`` stops a ballot opening until the paper carries
# it.
VOTING_PAPER_CARRIES: dict[str, Callable[[VotingPaper, law.Statement], bool]] = {
    "scrutineer_name": lambda paper, _: bool(paper.scrutineer_name.strip()),
    "return_address_and_date": lambda paper, _: bool(paper.return_address.strip()),
    # Each paper is numbered as it is printed (the sample shows where).
    "consecutive_number": lambda paper, _: True,
    "questions": lambda paper, _: bool(paper.questions),
    "authorised_person": lambda paper, _: bool(paper.authorised_to_call_action.strip()),
    "breach_of_contract_statement": _printed,
    "dismissal_protection_statement": _printed,
    "dispute_summary": lambda paper, _: bool(paper.summary.strip()),
    "action_short_of_strike_types": lambda paper, _: (
        not paper.asks_action_short_of_strike
        or bool(paper.action_short_of_strike_types.strip())
    ),
    "action_periods": lambda paper, _: bool(paper.expected_action_period.strip()),
}


def voting_paper_problems(*, ballot: Ballot) -> list[str]:
    """What a statutory ballot's voting paper still lacks for its regime (s.229), as
    sentences for staff; empty when it is complete. The scrutineer's name is needed
    only where more than 50 are entitled to vote (s.226C). A consultative ballot's
    paper has no statutory content."""
    if not ballot.is_statutory:
        return []
    paper = voting_paper(ballot=ballot)
    small = selectors.electorate_size(ballot=ballot) <= law.SCRUTINEER_NEEDED_ABOVE
    problems = []
    for statement in paper.regime.voting_paper:
        if statement.key == "scrutineer_name" and small:
            continue
        carries = VOTING_PAPER_CARRIES.get(statement.key)
        if carries is None or not carries(paper, statement):
            problems.append(f"The voting paper must carry {sentence(statement)}.")
    return problems


# The same for the notice of ballot (``Regime.ballot_notice``), from its content.
NOTICE_CARRIES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "intention_to_ballot": lambda content: True,  # its first sentence
    "opening_day": lambda content: bool(content["opening_on"]),
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
}


def notice_problems(*, content: dict[str, Any], regime: law.Regime) -> list[str]:
    """What a notice of ballot with ``content`` lacks for the regime (s.226A(2))."""
    problems = []
    for statement in regime.ballot_notice:
        carries = NOTICE_CARRIES.get(statement.key)
        if carries is None or not carries(content):
            problems.append(f"The notice of ballot must give {sentence(statement)}.")
    return problems


def sample_voting_paper_pdf(*, ballot: Ballot, employer: Employer) -> bytes:
    """The sample voting paper for ``employer`` (s.226A(1)(b)), as a PDF."""
    paper = voting_paper(ballot=ballot, employer=employer)
    html = render_to_string(
        "disputes/voting_paper_pdf.html", {"paper": paper, "sample": True}
    )
    return pdf_from_html(html)
