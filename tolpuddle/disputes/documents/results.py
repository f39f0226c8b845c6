"""The result of a ballot as the law requires it to be told: to every member
entitled to vote (s.231) and to every employer of those entitled (s.231A).

The content is built once from the recorded ``BallotResult`` rows
(``result_content``), JSON-ready, and kept on each ``ResultNotice``; the text, the
email and the PDF are all made from it. What it must state is read from the
regime's ``ballot_result`` statements by key (``RESULT_LINES``): a key this module
does not know counts as missing, so a statement added to ``tolpuddle.ballot_law``
stops the result being given until it is printed here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from tolpuddle.disputes import law, selectors
from tolpuddle.disputes.documents.common import long_date, pdf_from_html, sentence
from tolpuddle.disputes.models import Ballot, BallotResult, QuestionKind, ResultNotice
from tolpuddle.members.models import Employer

ACTION_NAMES = {
    QuestionKind.STRIKE.value: "strike action",
    QuestionKind.ACTION_SHORT_OF_STRIKE.value: "action short of a strike",
}


def _percent(value: Fraction | Decimal) -> str:
    return law.format_percent(Fraction(value))


def _question(result: BallotResult) -> dict[str, Any]:
    return {
        "position": result.question.position,
        "kind": result.question.kind,
        "text": result.question.text,
        "entitled": result.entitled,
        "votes_cast": result.votes_cast,
        "yes": result.yes,
        "no": result.no,
        "spoiled": result.spoiled,
        "turnout": _percent(result.turnout_exact),
        "turnout_threshold": None
        if result.turnout_threshold is None
        else _percent(result.turnout_threshold),
        "turnout_threshold_met": result.turnout_threshold_met,
        "support": _percent(result.support_exact),
        "support_threshold": None
        if result.support_threshold is None
        else _percent(result.support_threshold),
        "support_threshold_met": result.support_threshold_met,
        "majority_yes": result.majority_yes,
        "mandate": result.mandate,
        "reasons": list(result.reasons),
    }


def result_content(
    *, ballot: Ballot, employer: Employer | None = None
) -> dict[str, Any]:
    """What the result says, from the recorded results: for the members (no
    ``employer``) every count; for an employer (s.231A), where the ballot is held
    as separate workplace ballots, the counts of its own workplaces."""
    regime = law.regime_for(opening_on=ballot.opening_on)
    results = list(
        selectors.ballot_results(ballot=ballot).order_by(
            "workplace__name", "workplace_id", "question__position"
        )
    )
    separate = any(r.workplace_id is not None for r in results)
    if employer is not None and separate:
        results = [
            r for r in results if r.workplace and r.workplace.employer_id == employer.pk
        ]
    counts: list[dict[str, Any]] = []
    for result in results:
        if not counts or counts[-1]["workplace_id"] != result.workplace_id:
            counts.append(
                {
                    "workplace_id": result.workplace_id,
                    "workplace": result.workplace.name if result.workplace else None,
                    "questions": [],
                }
            )
        counts[-1]["questions"].append(_question(result))
    mandates = sorted(
        {q["kind"] for count in counts for q in count["questions"] if q["mandate"]},
        key=list(ACTION_NAMES).index,
    )
    expires = next((r.mandate_expires_on for r in results if r.mandate), None)
    assert ballot.result_declared_on is not None  # noqa: S101 - follows the result
    return {
        "union": settings.TOLPUDDLE_UNION_NAME,
        "ballot": ballot.title,
        "dispute": ballot.dispute.title,
        "statutory": ballot.is_statutory,
        "regime": regime.slug,
        "regime_name": regime.name,
        "opening_on": ballot.opening_on.isoformat(),
        "closing_on": ballot.closing_on.isoformat(),
        "declared_on": ballot.result_declared_on.isoformat(),
        "employer": employer.name if employer else None,
        "important_public_service": ballot.important_public_service,
        "separate_workplaces": separate,
        "counts": counts,
        "mandates": mandates,
        "mandate_expires_on": expires.isoformat() if expires else None,
        "mandate_covers": regime.mandate_covers.value,
    }


# --- What the result states, by the key of the regime's statement -------------------

ResultLine = Callable[[dict[str, Any], dict[str, Any]], str | None]


def _met(value: bool | None) -> str:
    return "Yes" if value else "No"


def _turnout_line(question: dict[str, Any], content: dict[str, Any]) -> str | None:
    if (
        question["turnout_threshold"] is None
        or question["turnout_threshold_met"] is None
    ):
        return None
    return (
        f"At least {question['turnout_threshold']} of those entitled to vote did so: "
        f"{_met(question['turnout_threshold_met'])} (turnout {question['turnout']})"
    )


def _support_line(question: dict[str, Any], content: dict[str, Any]) -> str | None:
    if (
        question["support_threshold"] is None
        or question["support_threshold_met"] is None
    ):
        return None
    return (
        f"At least {question['support_threshold']} of those entitled to vote answered "
        f"Yes: {_met(question['support_threshold_met'])} ({question['support']})"
    )


RESULT_LINES: dict[str, ResultLine] = {
    "entitled": lambda q, _: (
        f"Number of individuals entitled to vote: {q['entitled']:,}"
    ),
    "votes_cast": lambda q, _: f"Number of votes cast: {q['votes_cast']:,}",
    "yes": lambda q, _: f"Number answering Yes: {q['yes']:,}",
    "no": lambda q, _: f"Number answering No: {q['no']:,}",
    "spoiled": lambda q, _: (
        f"Number of spoiled or otherwise invalid voting papers: {q['spoiled']:,}"
    ),
    "turnout_threshold_met": _turnout_line,
    "support_threshold_met": _support_line,
}

# When a statement is required only in some ballots (its ``condition``).
RESULT_APPLIES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "support_threshold_met": lambda content: bool(content["important_public_service"]),
}


def _always(content: dict[str, Any]) -> bool:
    return True


# Printed whatever the regime requires: the number entitled helps every reader.
ALWAYS = ("entitled", "votes_cast", "yes", "no", "spoiled")


def _keys(content: dict[str, Any]) -> list[str]:
    keys = list(ALWAYS)
    if content["statutory"]:
        regime = law.REGIMES_BY_SLUG[content["regime"]]
        keys += [s.key for s in regime.ballot_result if s.key not in keys]
    return keys


def result_problems(*, content: dict[str, Any], regime: law.Regime) -> list[str]:
    """What the result as given would lack for the regime (s.231, s.231A); empty
    when it states everything required."""
    if not content["statutory"]:
        return []
    problems = []
    questions = [q for count in content["counts"] for q in count["questions"]]
    for statement in regime.ballot_result:
        line = RESULT_LINES.get(statement.key)
        applies = RESULT_APPLIES.get(statement.key, _always)(content)
        if line is None or (
            applies and any(line(q, content) is None for q in questions)
        ):
            problems.append(f"The result must state {sentence(statement)}.")
    if not questions:
        problems.append("The result has no figures.")
    return problems


def _outcome(question: dict[str, Any], content: dict[str, Any]) -> str:
    if not content["statutory"]:
        return ""
    action = ACTION_NAMES.get(question["kind"], "industrial action")
    if question["mandate"]:
        return f"Result: the ballot supports {action}."
    return f"Result: the ballot does not support {action}."


def result_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The result as headed groups of lines, for the text and the PDF alike."""
    keys = _keys(content)
    sections = []
    for count in content["counts"]:
        questions = []
        for question in count["questions"]:
            lines = []
            for key in keys:
                applies = RESULT_APPLIES.get(key, _always)(content)
                line = RESULT_LINES[key](question, content) if applies else None
                if line is not None:
                    lines.append(line)
            questions.append(
                {
                    "text": question["text"],
                    "lines": lines,
                    "outcome": _outcome(question, content),
                    "reasons": question["reasons"] if content["statutory"] else [],
                }
            )
        heading = f"The ballot at {count['workplace']}" if count["workplace"] else None
        sections.append({"heading": heading, "questions": questions})
    return sections


def _mandate_sentence(content: dict[str, Any]) -> str:
    if not content["statutory"]:
        return (
            "This was a consultative ballot: it is not a ballot for industrial action."
        )
    if not content["mandates"]:
        return "The ballot gives no mandate for industrial action."
    actions = " and ".join(ACTION_NAMES[kind] for kind in content["mandates"])
    expires = datetime.date.fromisoformat(content["mandate_expires_on"])
    where = (
        " at the workplaces whose ballot supports it"
        if content["separate_workplaces"]
        else ""
    )
    if content["mandate_covers"] == "start_of_action":
        return (
            f"The ballot gives a mandate for {actions}{where}: the action must be "
            f"called and begin by {long_date(expires)} (s.234)."
        )
    return (
        f"The ballot gives a mandate for {actions}{where} until {long_date(expires)} "
        "(s.234): no action may take place after that day on this ballot."
    )


def result_text(content: dict[str, Any]) -> str:
    """The result as plain text: for members (s.231) or, with an employer in the
    content, for that employer (s.231A)."""
    to_employer = content["employer"] is not None
    section = "231A" if to_employer else "231"
    lines = [
        "RESULT OF THE BALLOT",
        *(
            [
                f"Trade Union and Labour Relations (Consolidation) Act 1992, section {section}"
            ]
            if content["statutory"]
            else []
        ),
        "",
    ]
    if to_employer:
        lines += [f"To: {content['employer']}", f"From: {content['union']}", ""]
    lines += [
        f"{content['union']}: {content['ballot']}, in the trade dispute "
        f"{content['dispute']}.",
        f"Voting closed on {long_date(datetime.date.fromisoformat(content['closing_on']))}; "
        f"the result was declared on "
        f"{long_date(datetime.date.fromisoformat(content['declared_on']))}.",
        "",
    ]
    for part in result_sections(content):
        if part["heading"]:
            lines += [part["heading"].upper(), ""]
        for question in part["questions"]:
            lines.append(f"Question: {question['text']}")
            lines += [f"  {line}" for line in question["lines"]]
            if question["outcome"]:
                lines.append(f"  {question['outcome']}")
            lines += [f"  - {reason}" for reason in question["reasons"]]
            lines.append("")
    lines += [_mandate_sentence(content), ""]
    return "\n".join(lines)


def result_notice_pdf(*, notice: ResultNotice) -> bytes:
    """The result as given to the employer (s.231A), as a PDF."""
    content = notice.content
    html = render_to_string(
        "disputes/result_notice_pdf.html",
        {
            "content": content,
            "sections": result_sections(content),
            "closing_on": datetime.date.fromisoformat(content["closing_on"]),
            "declared_on": datetime.date.fromisoformat(content["declared_on"]),
            "mandate": _mandate_sentence(content),
            "given_on": notice.given_on,
        },
    )
    return pdf_from_html(html)
