"""Every change to disputes and ballots. Each service is keyword-only and atomic,
refuses with an ``ApplicationError`` (writing nothing), and writes a row of the
dispute's log (``DisputeEvent``) with the acting user.

Import this package (``from tolpuddle.disputes import services``): it re-exports
the services of each stage:

- ``preparation``: disputes, ballots, the electorate, the notices of ballot
  (s.226A), opening;
- ``polls``: the online vote (a ``voting.Poll``) and the postal papers' numbers;
- ``results``: the result (scrutineer's or online), to employers (s.231A) and to
  members (s.231);
- ``action``: notices of industrial action (s.234A), the mandate's extension.
"""

from __future__ import annotations

from tolpuddle.disputes.services.action import (
    action_notice_prepare,
    action_notice_record_given,
    mandate_extension_record,
)
from tolpuddle.disputes.services.common import dispute_event_record
from tolpuddle.disputes.services.polls import (
    ballot_papers_number,
    ballot_poll_create,
    poll_question_key,
)
from tolpuddle.disputes.services.preparation import (
    SUMMARY_REQUIRED,
    ballot_create,
    ballot_electorate_add,
    ballot_electorate_freeze,
    ballot_electorate_mark_leaver,
    ballot_notice_record_given,
    ballot_notices_prepare,
    ballot_open,
    ballot_sample_paper_record_given,
    dispute_create,
    dispute_update,
)
from tolpuddle.disputes.services.results import (
    CountFigures,
    QuestionFigures,
    ResultEmailed,
    ballot_result_email,
    ballot_result_from_poll,
    ballot_result_inform_members,
    ballot_result_record,
    result_notice_record_given,
)

__all__ = [
    "SUMMARY_REQUIRED",
    "CountFigures",
    "QuestionFigures",
    "ResultEmailed",
    "action_notice_prepare",
    "action_notice_record_given",
    "ballot_create",
    "ballot_electorate_add",
    "ballot_electorate_freeze",
    "ballot_electorate_mark_leaver",
    "ballot_notice_record_given",
    "ballot_notices_prepare",
    "ballot_open",
    "ballot_papers_number",
    "ballot_poll_create",
    "ballot_result_email",
    "ballot_result_from_poll",
    "ballot_result_inform_members",
    "ballot_result_record",
    "ballot_sample_paper_record_given",
    "dispute_create",
    "dispute_event_record",
    "dispute_update",
    "mandate_extension_record",
    "poll_question_key",
    "result_notice_record_given",
]
