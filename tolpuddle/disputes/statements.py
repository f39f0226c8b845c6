"""The union's own wording on a voting paper: the default questions.

The statutory statements (s.229(4): breach of contract, protection from dismissal)
are not here: their words are the law's, kept once in ``tolpuddle.ballot_law.rules``
(each regime's ``voting_paper``, by key) and printed from there
(``tolpuddle.disputes.law.voting_paper_wording``).
"""

from __future__ import annotations

# The questions (s.229(2)): each answerable yes or no, strike and action short of a
# strike asked separately. An overtime ban and a call-out ban are action short of a
# strike (s.229(2A)).
STRIKE_QUESTION = "Are you prepared to take part in strike action?"
ACTION_SHORT_OF_STRIKE_QUESTION = (
    "Are you prepared to take part in industrial action short of a strike?"
)
