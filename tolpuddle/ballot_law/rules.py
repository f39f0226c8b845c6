"""The statutory industrial-action ballot rules, one rule set per regime, as data.

Every rule names the section it comes from (``cites``). A change in the law is a new
entry in ``REGIMES``, not a new branch in the code: ``tolpuddle.ballot_law.calculations``
reads whatever rule set applies to a ballot's opening day.

Sections are of the Trade Union and Labour Relations (Consolidation) Act 1992
("TULRCA"), as amended by the Trade Union Act 2016 ("TUA 2016") and the Employment
Rights Act 2025 ("ERA 2025"). Where the law is not certain the rule says so
(``uncertain=True``, with a ``note``), and the value chosen is the one that cannot
make action unlawful: the shorter mandate, the longer notice, the fuller notice.
docs/ballot-law.md explains each choice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, Literal, TypeVar

from tolpuddle.ballot_law.periods import Period

T = TypeVar("T")

MandateCovers = Literal["start_of_action", "all_action"]
DecidedBy = Literal["ballot_opening", "notice_received"]

TUA_2016_FROM = datetime.date(2017, 3, 1)
ERA_2025_STAGE_1_FROM = datetime.date(2026, 2, 18)


@dataclass(frozen=True, kw_only=True)
class Rule(Generic[T]):
    """One rule of a regime: its value and where the law says so."""

    value: T
    cites: str
    note: str = ""
    uncertain: bool = False


@dataclass(frozen=True, kw_only=True)
class Statement:
    """Something a voting paper, notice or result must state. ``key`` is stable: the
    documents generated later are checked against these keys."""

    key: str
    text: str
    cites: str
    wording: str = ""  # the exact words, where the Act prescribes them
    condition: str = ""  # when it is required, if not always
    note: str = ""
    uncertain: bool = False


@dataclass(frozen=True, kw_only=True)
class Regime:
    """The rules for ballots opening on or after ``starts_on`` (until the next regime).

    ``starts_on`` is None for the first regime (the law before 2016, as it stood just
    before the 2016 Act), and for a regime whose commencement an administrator fills in
    (``starts_on_setting`` names the field of ``Commencements``);
    ``calculations.regime_for`` returns the regime with the day filled in.
    """

    slug: str
    name: str
    applies_to: str
    commencement: Rule[datetime.date | None]
    starts_on_setting: str = ""

    turnout_threshold: Rule[Fraction | None]
    support_threshold: Rule[Fraction | None]  # only in important public services
    majority: Rule[str]

    mandate: Rule[Period]
    mandate_if_extended: Rule[Period | None]
    mandate_covers: Rule[MandateCovers]

    ballot_notice_days: Rule[int]  # before the opening day
    sample_paper_days: Rule[int]  # before the opening day
    action_notice_days: Rule[int]
    action_notice_days_by_agreement: Rule[int | None]
    action_notice_decided_by: Rule[DecidedBy]

    voting_paper: tuple[Statement, ...]
    ballot_notice: tuple[Statement, ...]  # s.226A, to each employer
    action_notice: tuple[Statement, ...]  # s.234A, to each employer
    ballot_result: tuple[Statement, ...]  # s.231 to members, s.231A to employers
    important_public_services: tuple[Statement, ...]  # where the 40% test applies

    postal_voting: Rule[bool]
    # Filled in by calculations.regime_for from the administrator's settings.
    electronic_voting_permitted: bool = False

    @property
    def starts_on(self) -> datetime.date | None:
        return self.commencement.value

    @property
    def uncertainties(self) -> tuple[str, ...]:
        """The notes of every rule and statement of this regime marked uncertain."""
        notes = [
            f"{name}: {rule.note}"
            for name, rule in self.rules().items()
            if rule.uncertain
        ]
        listed = {
            **self.documents(),
            "important_public_services": self.important_public_services,
        }
        for label, statements in listed.items():
            notes.extend(
                f"{label} / {s.key}: {s.note}" for s in statements if s.uncertain
            )
        return tuple(notes)

    def rules(self) -> dict[str, Rule[object]]:
        """Every rule by name, in order (for tables, JSON and tests)."""
        return {
            name: value for name, value in vars(self).items() if isinstance(value, Rule)
        }

    def documents(self) -> dict[str, tuple[Statement, ...]]:
        return {
            "voting_paper": self.voting_paper,
            "ballot_notice": self.ballot_notice,
            "action_notice": self.action_notice,
            "ballot_result": self.ballot_result,
        }

    def cites(self) -> dict[str, str]:
        return {name: rule.cites for name, rule in self.rules().items()}


# --- Important public services (where the 40% support test applied) ----------------

IMPORTANT_PUBLIC_SERVICES = (
    Statement(
        key="health",
        text="Health services: emergency ambulance, accident and emergency, high-"
        "dependency and intensive care, and urgent psychiatric, obstetric and midwifery "
        "services in hospitals (not private hospitals or ambulances)",
        cites="TULRCA s.226(2E)(a); Important Public Services (Health) Regulations 2017 "
        "(SI 2017/132)",
    ),
    Statement(
        key="education_under_17",
        text="Education of those aged under 17: teaching and other services at state-"
        "funded schools, 16 to 19 academies and (for pupils of compulsory school age) "
        "further education institutions",
        cites="TULRCA s.226(2E)(b); Important Public Services (Education) "
        "Regulations 2017",
    ),
    Statement(
        key="fire",
        text="Fire services: firefighting and fire and rescue authority services that "
        "protect life and property",
        cites="TULRCA s.226(2E)(c); Important Public Services (Fire) Regulations 2017",
    ),
    Statement(
        key="transport",
        text="Transport services: London local buses, passenger railways, civil air "
        "traffic control, airport and port security",
        cites="TULRCA s.226(2E)(d); Important Public Services (Transport) "
        "Regulations 2017 (SI 2017/135)",
    ),
    Statement(
        key="nuclear_decommissioning",
        text="Decommissioning of nuclear installations and management of radioactive "
        "waste and spent fuel",
        cites="TULRCA s.226(2E)(e)",
        note="The Act lets regulations name services in this category, but none are "
        "known to have been made (the 2017 regulations cover the other five), so "
        "nothing in it was an important public service in practice.",
        uncertain=True,
    ),
    Statement(
        key="border_security",
        text="Border security: Border Force examination of people and goods, patrol "
        "of waters, and the related intelligence and direction",
        cites="TULRCA s.226(2E)(f); Important Public Services (Border Security) "
        "Regulations 2017",
    ),
)

# --- Voting paper (s.229) -------------------------------------------------------------

S229_4_BEFORE_2026 = (
    "If you take part in a strike or other industrial action, you may be in breach of "
    "your contract of employment. However, if you are dismissed for taking part in a "
    "strike or other industrial action which is called officially and is otherwise "
    "lawful, the dismissal will be unfair if it takes place fewer than twelve weeks "
    "after you started taking part in the action, and depending on the circumstances "
    "may be unfair if it takes place later."
)
S229_4_FROM_2026 = (
    "If you take part in a strike or other industrial action, you may be in breach of "
    "your contract of employment. However, if you are dismissed for taking part in a "
    "strike or other industrial action which is called officially and is otherwise "
    "lawful, the dismissal will be unfair."
)
_S229_4_NOTE = (
    "The whole statement must appear on every voting paper without being qualified or "
    "commented upon by anything else on it."
)
_S229_4_2026_NOTE = (
    "The Employment Rights Act 2025 removed the 12-week limit on protection from "
    "dismissal for taking part in protected industrial action (s.238A) from 18 February "
    "2026; the wording shown follows that change but must be checked against s.229(4) "
    "as amended before papers are printed."
)


def _voting_paper_core(*, statement: str, new_wording: bool) -> tuple[Statement, ...]:
    return (
        Statement(
            key="scrutineer_name",
            text="The name of the independent scrutineer.",
            cites="TULRCA s.229(1A)(a)",
        ),
        Statement(
            key="return_address_and_date",
            text="The address to which, and the date by which, the paper is to be "
            "returned.",
            cites="TULRCA s.229(1A)(b)",
        ),
        Statement(
            key="consecutive_number",
            text="Its number: one of a series of consecutive whole numbers, a different "
            "one on each voting paper produced for the ballot.",
            cites="TULRCA s.229(1A)(c), (d)",
        ),
        Statement(
            key="questions",
            text="A question, answerable only Yes or No, whether the voter is prepared "
            "to take part (or continue to take part) in a strike; or in action short "
            "of a strike; or both, as two separate questions. An overtime ban and a "
            "call-out ban are action short of a strike.",
            cites="TULRCA s.229(2), (2A)",
        ),
        Statement(
            key="authorised_person",
            text="Who, in the event of a vote in favour, is authorised for the purposes "
            "of s.233 to call upon members to take part or continue to take part in "
            "the industrial action.",
            cites="TULRCA s.229(3), s.233",
        ),
        Statement(
            key="breach_of_contract_statement",
            text="The statutory statement that taking part in a strike or other "
            "industrial action may be a breach of the contract of employment (the full "
            "s.229(4) statement, which also contains the dismissal_protection_statement).",
            cites="TULRCA s.229(4)",
            wording=statement,
            note=_S229_4_NOTE + (" " + _S229_4_2026_NOTE if new_wording else ""),
            uncertain=new_wording,
        ),
        Statement(
            key="dismissal_protection_statement",
            text="Within the same statement: that dismissal for taking part in official, "
            "otherwise lawful action is unfair"
            + ("." if new_wording else " within twelve weeks (and may be later)."),
            cites="TULRCA s.229(4), s.238A",
            wording=statement.split(". ", 1)[1],
            note="Printed as the second sentence of breach_of_contract_statement."
            + (" " + _S229_4_2026_NOTE if new_wording else ""),
            uncertain=new_wording,
        ),
    )


VOTING_PAPER_TUA_2016_EXTRAS = (
    Statement(
        key="dispute_summary",
        text="A summary of the matter or matters in issue in the trade dispute to "
        "which the proposed industrial action relates.",
        cites="TULRCA s.229(2B)",
    ),
    Statement(
        key="action_short_of_strike_types",
        text="The type or types of action short of a strike (in the question or "
        "elsewhere on the paper).",
        cites="TULRCA s.229(2C)",
        condition="the paper asks about action short of a strike",
    ),
    Statement(
        key="action_periods",
        text="The period or periods within which the industrial action (or each type "
        "of it) is expected to take place.",
        cites="TULRCA s.229(2D)",
    ),
)

# --- Notice of the ballot to the employer (s.226A) -------------------------------------

_CHECK_OFF = (
    "Where some of the employees pay their subscriptions by deduction from wages "
    "(check-off), the union may instead give information from which the employer can "
    "readily deduce the lists and figures (s.226A(2)(c)(ii), (2C))."
)
_ACCURACY = (
    "Figures must be as accurate as is reasonably practicable in the light of the "
    "information in the union's possession (s.226A(2D))."
)

BALLOT_NOTICE_BEFORE_2026 = (
    Statement(
        key="intention_to_ballot",
        text="That the union intends to hold the ballot.",
        cites="TULRCA s.226A(2)(a)",
    ),
    Statement(
        key="opening_day",
        text="The date the union reasonably believes will be the opening day of the "
        "ballot.",
        cites="TULRCA s.226A(2)(b)",
    ),
    Statement(
        key="employee_categories",
        text="A list of the categories of employee to which the employees concerned "
        "belong.",
        cites="TULRCA s.226A(2)(c)(i), (2A)(a)",
        note=_CHECK_OFF,
    ),
    Statement(
        key="workplaces",
        text="A list of the workplaces at which the employees concerned work.",
        cites="TULRCA s.226A(2)(c)(i), (2A)(b)",
    ),
    Statement(
        key="total_employees",
        text="The total number of employees concerned.",
        cites="TULRCA s.226A(2)(c)(i), (2B)(a)",
        note=_ACCURACY,
    ),
    Statement(
        key="numbers_by_category",
        text="The number of the employees concerned in each of the categories listed.",
        cites="TULRCA s.226A(2B)(b)",
    ),
    Statement(
        key="numbers_by_workplace",
        text="The number of the employees concerned at each workplace listed.",
        cites="TULRCA s.226A(2B)(c)",
    ),
    Statement(
        key="explanation_of_figures",
        text="An explanation of how those figures were arrived at.",
        cites="TULRCA s.226A(2)(c)(i)",
    ),
)

_ERA_226A = "as amended by the Employment Rights Act 2025"
BALLOT_NOTICE_FROM_2026 = (
    BALLOT_NOTICE_BEFORE_2026[0],
    BALLOT_NOTICE_BEFORE_2026[1],
    Statement(
        key="employee_categories",
        text="A list of the categories of employee to which the employees concerned "
        "belong.",
        cites=f"TULRCA s.226A(2)(c)(i), (2A)(a) {_ERA_226A}",
        note=_CHECK_OFF,
    ),
    Statement(
        key="workplaces",
        text="A list of the workplaces at which the employees concerned work.",
        cites=f"TULRCA s.226A(2)(c)(i), (2A)(b) {_ERA_226A}",
    ),
    Statement(
        key="total_employees",
        text="The total number of employees concerned.",
        cites=f"TULRCA s.226A(2)(c)(i), (2B) {_ERA_226A}",
        note=_ACCURACY
        + " The numbers in each category and at each workplace, and the explanation "
        "of how the figures were arrived at, are no longer required; giving them "
        "does no harm.",
    ),
)

# --- Notice of industrial action to the employer (s.234A) ------------------------------


def _action_notice(
    *, cites_suffix: str, detail_uncertain: bool
) -> tuple[Statement, ...]:
    detail_note = (
        "The Employment Rights Act 2025 is reported to reduce the detail this notice "
        "needs, as it did for the ballot notice; until the amended s.234A is confirmed, "
        "give it (more detail never makes a notice invalid)."
        if detail_uncertain
        else ""
    )
    return (
        Statement(
            key="employee_categories",
            text="A list of the categories of employee to which the affected employees "
            "belong.",
            cites=f"TULRCA s.234A(3)(a)(i), (3A)(a){cites_suffix}",
            note="Or, for check-off members, information from which the employer can "
            "readily deduce the lists and figures (s.234A(3)(a)(ii), (3C)).",
        ),
        Statement(
            key="workplaces",
            text="A list of the workplaces at which the affected employees work.",
            cites=f"TULRCA s.234A(3)(a)(i), (3A)(b){cites_suffix}",
        ),
        Statement(
            key="total_employees",
            text="The total number of the affected employees.",
            cites=f"TULRCA s.234A(3B)(a){cites_suffix}",
        ),
        Statement(
            key="numbers_by_category",
            text="The number of the affected employees in each of the categories "
            "listed.",
            cites=f"TULRCA s.234A(3B)(b){cites_suffix}",
            note=detail_note,
            uncertain=detail_uncertain,
        ),
        Statement(
            key="numbers_by_workplace",
            text="The number of the affected employees at each workplace listed.",
            cites=f"TULRCA s.234A(3B)(c){cites_suffix}",
            note=detail_note,
            uncertain=detail_uncertain,
        ),
        Statement(
            key="explanation_of_figures",
            text="An explanation of how those figures were arrived at.",
            cites=f"TULRCA s.234A(3)(a)(i){cites_suffix}",
            note=detail_note,
            uncertain=detail_uncertain,
        ),
        Statement(
            key="continuous_or_discontinuous",
            text="Whether the industrial action is intended to be continuous or "
            "discontinuous.",
            cites=f"TULRCA s.234A(3)(b){cites_suffix}",
        ),
        Statement(
            key="action_dates",
            text="If continuous, the intended date for any of the affected employees to "
            "begin to take part; if discontinuous, the intended dates on which any of "
            "them is to take part.",
            cites=f"TULRCA s.234A(3)(b)(i), (ii){cites_suffix}",
        ),
    )


ACTION_NOTICE_MINIMUM_SERVICE = Statement(
    key="minimum_service_strike_days",
    text="Whether the action intended on each date is a strike for the purposes of "
    "s.234C (minimum service levels).",
    cites="TULRCA s.234A(3)(ba), inserted by the Strikes (Minimum Service Levels) Act "
    "2023",
    condition="the action relates to a relevant service under the Strikes (Minimum "
    "Service Levels) Act 2023 and the notice is given from 20 July 2023 until that "
    "Act's repeal by the Employment Rights Act 2025 on 18 December 2025",
)

# --- The result (s.231 to members, s.231A to every relevant employer) -------------------

_TO_EMPLOYERS = "The same must go to every relevant employer (s.231A)."


def _result(*, entitled: bool, turnout: bool, support: bool) -> tuple[Statement, ...]:
    items: list[Statement] = []
    letter = iter("abcdefg")
    if entitled:
        items.append(
            Statement(
                key="entitled",
                text="The number of individuals who were entitled to vote in the "
                "ballot.",
                cites=f"TULRCA s.231({next(letter)})",
                note=_TO_EMPLOYERS,
            )
        )
    for key, text in (
        ("votes_cast", "The number of votes cast in the ballot."),
        ("yes", "The number answering Yes to the question (or to each question)."),
        ("no", "The number answering No to the question (or to each question)."),
        (
            "spoiled",
            "The number of spoiled or otherwise invalid voting papers returned.",
        ),
    ):
        items.append(
            Statement(
                key=key,
                text=text,
                cites=f"TULRCA s.231({next(letter)})",
                note=_TO_EMPLOYERS,
            )
        )
    if turnout:
        items.append(
            Statement(
                key="turnout_threshold_met",
                text="Whether the number of votes cast is at least 50% of the number "
                "entitled to vote.",
                cites=f"TULRCA s.231({next(letter)})",
                note=_TO_EMPLOYERS,
            )
        )
    if support:
        items.append(
            Statement(
                key="support_threshold_met",
                text="Whether the number answering Yes is at least 40% of the number "
                "entitled to vote.",
                cites=f"TULRCA s.231({next(letter)})",
                condition="s.226(2B) applies (important public services)",
                note=_TO_EMPLOYERS,
            )
        )
    return tuple(items)


# --- The regimes ------------------------------------------------------------------------

_MAJORITY = "more of those voting answered Yes than answered No"

PRE_2016 = Regime(
    slug="pre-2016",
    name="Before the Trade Union Act 2016",
    applies_to="ballots opening before 1 March 2017",
    commencement=Rule(
        value=None,
        cites="TULRCA Part V as it stood on 28 February 2017",
        note="Modelled as the law stood just before the 2016 Act (the 4 and 8 week "
        "periods since the Employment Relations Act 1999, the 12-week dismissal "
        "statement and the notice content since the Employment Relations Act 2004).",
    ),
    turnout_threshold=Rule(
        value=None, cites="TULRCA s.226(2) as it then stood: no turnout condition"
    ),
    support_threshold=Rule(
        value=None, cites="TULRCA s.226(2) as it then stood: no 40% condition"
    ),
    majority=Rule(
        value=_MAJORITY,
        cites="TULRCA s.226(2)(a)(iii) as it then stood (the majority voting in the "
        "ballot answered Yes)",
    ),
    mandate=Rule(
        value=Period(count=4, unit="weeks"),
        cites="TULRCA s.234(1)(a) as it then stood",
    ),
    mandate_if_extended=Rule(
        value=Period(count=8, unit="weeks"),
        cites="TULRCA s.234(1)(b) as it then stood, by agreement between the union "
        "and the members' employer",
    ),
    mandate_covers=Rule(
        value="start_of_action",
        cites="TULRCA s.233(3)(b), s.234(1) as they then stood",
        note="The period limited when the action could be called and begin; action "
        "begun within it could continue after it.",
    ),
    ballot_notice_days=Rule(value=7, cites="TULRCA s.226A(1)(a)"),
    sample_paper_days=Rule(value=3, cites="TULRCA s.226A(1)(b)"),
    action_notice_days=Rule(value=7, cites="TULRCA s.234A(4)(b) as it then stood"),
    action_notice_days_by_agreement=Rule(
        value=None, cites="TULRCA s.234A(4)(b) as it then stood: no shorter period"
    ),
    action_notice_decided_by=Rule(
        value="ballot_opening", cites="the law before the 2016 Act"
    ),
    voting_paper=_voting_paper_core(statement=S229_4_BEFORE_2026, new_wording=False),
    ballot_notice=BALLOT_NOTICE_BEFORE_2026,
    action_notice=_action_notice(cites_suffix="", detail_uncertain=False),
    ballot_result=_result(entitled=False, turnout=False, support=False),
    important_public_services=(),
    postal_voting=Rule(value=True, cites="TULRCA s.230(2)"),
)

TUA_2016 = Regime(
    slug="tua-2016",
    name="Trade Union Act 2016",
    applies_to="ballots opening on or after 1 March 2017",
    commencement=Rule(
        value=TUA_2016_FROM,
        cites="Trade Union Act 2016 ss.2-9; SI 2017/139 reg.2; each change applies only "
        "to a ballot opened on or after 1 March 2017, a ballot being opened on the "
        "first day a voting paper is sent to anyone entitled to vote (e.g. TUA 2016 "
        "s.3(3), s.6(2))",
    ),
    turnout_threshold=Rule(value=Fraction(1, 2), cites="TULRCA s.226(2)(a)(iia)"),
    support_threshold=Rule(
        value=Fraction(2, 5),
        cites="TULRCA s.226(2)(a)(iii), (2B), (2C)",
        note="Only where the majority of those entitled to vote are normally engaged "
        "in important public services, unless the union reasonably believes otherwise; "
        "disapplied for devolved Welsh authorities by the Trade Union (Wales) Act 2017.",
    ),
    majority=Rule(value=_MAJORITY, cites="TULRCA s.226(2)(a)(iii), (2A)"),
    mandate=Rule(value=Period(count=6, unit="months"), cites="TULRCA s.234(1)(a)"),
    mandate_if_extended=Rule(
        value=Period(count=9, unit="months"),
        cites="TULRCA s.234(1)(b), by agreement between the union and the members' "
        "employer",
    ),
    mandate_covers=Rule(
        value="all_action",
        cites="TULRCA s.234(1) as substituted by TUA 2016 s.9",
        note="No action, even action begun in time, is supported after the mandate ends.",
    ),
    ballot_notice_days=Rule(value=7, cites="TULRCA s.226A(1)(a)"),
    sample_paper_days=Rule(value=3, cites="TULRCA s.226A(1)(b)"),
    action_notice_days=Rule(value=14, cites="TULRCA s.234A(4)(b), TUA 2016 s.8"),
    action_notice_days_by_agreement=Rule(
        value=7,
        cites="TULRCA s.234A(4)(b), by agreement between the union and the employer",
    ),
    action_notice_decided_by=Rule(
        value="notice_received",
        cites="TUA 2016 s.8; SI 2017/139",
        note="Commentary reads the 14-day period as applying to every notice received "
        "on or after 1 March 2017, even for a ballot opened before; that is the longer "
        "(safer) period, so it is followed.",
        uncertain=True,
    ),
    voting_paper=(
        _voting_paper_core(statement=S229_4_BEFORE_2026, new_wording=False)
        + VOTING_PAPER_TUA_2016_EXTRAS
    ),
    ballot_notice=BALLOT_NOTICE_BEFORE_2026,
    action_notice=(
        *_action_notice(cites_suffix="", detail_uncertain=False),
        ACTION_NOTICE_MINIMUM_SERVICE,
    ),
    ballot_result=_result(entitled=True, turnout=True, support=True),
    important_public_services=IMPORTANT_PUBLIC_SERVICES,
    postal_voting=Rule(value=True, cites="TULRCA s.230(2)"),
)

_ERA = "as amended by the Employment Rights Act 2025"

ERA_2025_STAGE_1 = Regime(
    slug="era-2025-stage-1",
    name="Employment Rights Act 2025, first stage",
    applies_to="ballots opening on or after 18 February 2026",
    commencement=Rule(
        value=ERA_2025_STAGE_1_FROM,
        cites="Employment Rights Act 2025 (Royal Assent 18 December 2025), trade union "
        "provisions in force two months later, on 18 February 2026, for ballots "
        "opening on or after that day",
    ),
    turnout_threshold=Rule(
        value=Fraction(1, 2),
        cites="TULRCA s.226(2)(a)(iia) (its repeal by the 2025 Act is not yet in force)",
    ),
    support_threshold=Rule(
        value=None,
        cites=f"TULRCA s.226(2)(a)(iii), (2A)-(2F) {_ERA}: the 40% test repealed",
    ),
    majority=Rule(value=_MAJORITY, cites=f"TULRCA s.226(2)(a)(iii) {_ERA}"),
    mandate=Rule(
        value=Period(count=12, unit="months"), cites=f"TULRCA s.234(1) {_ERA}"
    ),
    mandate_if_extended=Rule(
        value=None,
        cites=f"TULRCA s.234(1) {_ERA}",
        note="Commentary says extension by agreement is no longer possible; treated as "
        "unavailable until confirmed (the shorter mandate is the safe reading).",
        uncertain=True,
    ),
    mandate_covers=Rule(value="all_action", cites=f"TULRCA s.234(1) {_ERA}"),
    ballot_notice_days=Rule(value=7, cites="TULRCA s.226A(1)(a)"),
    sample_paper_days=Rule(value=3, cites="TULRCA s.226A(1)(b)"),
    action_notice_days=Rule(value=10, cites=f"TULRCA s.234A(4)(b) {_ERA}"),
    action_notice_days_by_agreement=Rule(
        value=None,
        cites=f"TULRCA s.234A(4)(b) {_ERA}",
        note="Whether a shorter period by agreement with the employer survives is not "
        "confirmed; treated as unavailable (the longer notice is the safe reading).",
        uncertain=True,
    ),
    action_notice_decided_by=Rule(
        value="ballot_opening",
        cites="Employment Rights Act 2025, commencement for ballots opening on or after "
        "18 February 2026",
        note="A ballot opened before 18 February 2026 keeps 14 days' notice even for "
        "notices given later (the longer, safer period).",
        uncertain=True,
    ),
    voting_paper=_voting_paper_core(statement=S229_4_FROM_2026, new_wording=True),
    ballot_notice=BALLOT_NOTICE_FROM_2026,
    action_notice=_action_notice(cites_suffix=f" {_ERA}", detail_uncertain=True),
    ballot_result=_result(entitled=True, turnout=True, support=False),
    important_public_services=(),
    postal_voting=Rule(value=True, cites="TULRCA s.230(2)"),
)

ERA_2025_STAGE_2 = Regime(
    slug="era-2025-stage-2",
    name="Employment Rights Act 2025, second stage",
    applies_to="ballots opening on or after a day to be appointed by regulations (an "
    "administrator fills it in once known)",
    commencement=Rule(
        value=None,
        cites="Employment Rights Act 2025: the repeal of the 50% turnout threshold comes "
        "into force on a day appointed by regulations",
        note="Not known: it is the setting 'stage 2 from'. Until it is filled in, "
        "stage 2 never applies.",
        uncertain=True,
    ),
    starts_on_setting="stage_2_from",
    turnout_threshold=Rule(
        value=None,
        cites="TULRCA s.226(2)(a)(iia) repealed by the Employment Rights Act 2025",
    ),
    support_threshold=ERA_2025_STAGE_1.support_threshold,
    majority=ERA_2025_STAGE_1.majority,
    mandate=ERA_2025_STAGE_1.mandate,
    mandate_if_extended=ERA_2025_STAGE_1.mandate_if_extended,
    mandate_covers=ERA_2025_STAGE_1.mandate_covers,
    ballot_notice_days=ERA_2025_STAGE_1.ballot_notice_days,
    sample_paper_days=ERA_2025_STAGE_1.sample_paper_days,
    action_notice_days=ERA_2025_STAGE_1.action_notice_days,
    action_notice_days_by_agreement=ERA_2025_STAGE_1.action_notice_days_by_agreement,
    action_notice_decided_by=Rule(
        value="ballot_opening",
        cites="Employment Rights Act 2025 (commencement regulations)",
    ),
    voting_paper=ERA_2025_STAGE_1.voting_paper,
    ballot_notice=ERA_2025_STAGE_1.ballot_notice,
    action_notice=ERA_2025_STAGE_1.action_notice,
    ballot_result=_result(entitled=True, turnout=False, support=False),
    important_public_services=(),
    postal_voting=Rule(value=True, cites="TULRCA s.230(2)"),
)

# In order of commencement: the regime for a ballot is the last one that has begun by
# its opening day. The first has no start (it is the law before any later change).
REGIMES: tuple[Regime, ...] = (PRE_2016, TUA_2016, ERA_2025_STAGE_1, ERA_2025_STAGE_2)
REGIMES_BY_SLUG = {regime.slug: regime for regime in REGIMES}
