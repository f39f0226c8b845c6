"""The fixed wording a voting paper carries, in one place, keyed so that the statutory
rule sets (``tolpuddle.ballot_law``'s required statements) can check a paper against
them.

TULRCA 1992 s.229(4) requires its statement to appear on every voting paper "without
being qualified or commented upon by anything else on the voting paper": the voting
paper template prints each statement in a box of its own, word for word.

- Before the Employment Rights Act 2025 (the regimes before and after the Trade
  Union Act 2016 alike), s.229(4) as amended by the Employment Relations Acts 1999
  and 2004: the breach of contract, then ("However, ...") the twelve weeks'
  protection from unfair dismissal (s.238A).
- From the Employment Rights Act 2025 (ballots opening on or after 18 February
  2026), which ends the twelve-week limit on that protection: the breach of
  contract, then that dismissal for taking part in official, otherwise lawful
  action is unfair. The exact wording the 2025 Act gives s.229(4) is to be checked
  against the Act as in force before a ballot relies on it.

Each is one statement, printed whole in one box.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    key: str
    source: str
    text: str


CONTRACT_BREACH = (
    "If you take part in a strike or other industrial action, you may be in breach "
    "of your contract of employment."
)

S229_4_BEFORE_2026 = Statement(
    key="breach_of_contract_statement",
    source="TULRCA 1992 s.229(4), as amended by the Employment Relations Acts 1999 "
    "and 2004",
    text=(
        f"{CONTRACT_BREACH} However, if you are dismissed for taking part in a strike "
        "or other industrial action which is called officially and is otherwise "
        "lawful, the dismissal will be unfair if it takes place fewer than twelve "
        "weeks after you started taking part in the action, and depending on the "
        "circumstances may be unfair if it takes place later."
    ),
)

S229_4_FROM_2026 = Statement(
    key="breach_of_contract_statement",
    source="TULRCA 1992 s.229(4) and s.238A, as amended by the Employment Rights Act "
    "2025",
    text=(
        f"{CONTRACT_BREACH} However, if you are dismissed for taking part in a strike "
        "or other industrial action which is called officially and is otherwise "
        "lawful, the dismissal will be unfair."
    ),
)


# The questions (s.229(2)): each answerable yes or no, strike and action short of a
# strike asked separately. The union may word them otherwise; these are the defaults.
STRIKE_QUESTION = "Are you prepared to take part in strike action?"
ACTION_SHORT_OF_STRIKE_QUESTION = (
    "Are you prepared to take part in industrial action short of a strike?"
)
