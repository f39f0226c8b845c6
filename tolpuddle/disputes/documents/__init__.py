"""The documents of a ballot, made from kept content and checked against the
regime's statements by key:

- ``preparation``: the notice of ballot (s.226A) and the sample voting paper;
- ``papers``: the postal voting papers, numbered for each elector, and the
  scrutineer's mail merge;
- ``results``: the result to members (s.231) and to employers (s.231A);
- ``action``: the notice of industrial action (s.234A).

Import this package (``from tolpuddle.disputes import documents``): it re-exports
each module's public names.
"""

from __future__ import annotations

from tolpuddle.disputes.documents.action import (
    ACTION_NOTICE_CARRIES,
    action_notice_content,
    action_notice_parts,
    action_notice_pdf,
    action_notice_problems,
    action_notice_text,
)
from tolpuddle.disputes.documents.papers import (
    CSV_COLUMNS,
    Elector,
    batch_file_name,
    number_width,
    voting_papers_csv,
    voting_papers_pdf,
    voting_papers_write,
)
from tolpuddle.disputes.documents.preparation import (
    NOTICE_CARRIES,
    VOTING_PAPER_CARRIES,
    VotingPaper,
    balloted_workplaces,
    notice_content,
    notice_html,
    notice_pdf,
    notice_problems,
    notice_text,
    notices_write,
    sample_voting_paper_pdf,
    voting_paper,
    voting_paper_problems,
)
from tolpuddle.disputes.documents.results import (
    ACTION_NAMES,
    RESULT_APPLIES,
    RESULT_LINES,
    result_content,
    result_notice_pdf,
    result_problems,
    result_sections,
    result_text,
)

__all__ = [
    "ACTION_NAMES",
    "ACTION_NOTICE_CARRIES",
    "CSV_COLUMNS",
    "NOTICE_CARRIES",
    "RESULT_APPLIES",
    "RESULT_LINES",
    "VOTING_PAPER_CARRIES",
    "Elector",
    "VotingPaper",
    "action_notice_content",
    "action_notice_parts",
    "action_notice_pdf",
    "action_notice_problems",
    "action_notice_text",
    "balloted_workplaces",
    "batch_file_name",
    "notice_content",
    "notice_html",
    "notice_pdf",
    "notice_problems",
    "notice_text",
    "notices_write",
    "number_width",
    "result_content",
    "result_notice_pdf",
    "result_problems",
    "result_sections",
    "result_text",
    "sample_voting_paper_pdf",
    "voting_paper",
    "voting_paper_problems",
    "voting_papers_csv",
    "voting_papers_pdf",
    "voting_papers_write",
]
