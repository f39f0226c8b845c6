"""The member portal's ballots: the ballots a member is entitled to vote in, with
the dispute, the dates, the result as the union must tell it (s.231) and the days
of industrial action that apply to them. A ballot the member is not in the
electorate of is a 404, the same as one that does not exist."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from tolpuddle.disputes import documents, selectors
from tolpuddle.members.models import Membership
from tolpuddle.members.views import member_required


@member_required
def my_ballots(request: HttpRequest, membership: Membership) -> HttpResponse:
    ballots = list(selectors.ballots_for_member(membership=membership))
    return TemplateResponse(
        request, "disputes/my_ballot_list.html", {"ballots": ballots}
    )


@member_required
def my_ballot(
    request: HttpRequest, membership: Membership, ballot_id: int
) -> HttpResponse:
    ballot = get_object_or_404(
        selectors.ballots_for_member(membership=membership), pk=ballot_id
    )
    entry = selectors.member_entry(ballot=ballot, membership=membership)
    assert entry is not None  # noqa: S101 - ballots_for_member: the member is in it
    context: dict[str, Any] = {
        "ballot": ballot,
        "dispute": ballot.dispute,
        "entry": entry,
        "sections": [],
        "mandate": None,
        "actions": [],
    }
    if ballot.result_declared_on is not None:
        content = documents.result_content(ballot=ballot)
        content["counts"] = [
            count
            for count in content["counts"]
            if count["workplace_id"] in (None, entry.workplace_id)
        ]
        context["sections"] = documents.result_sections(content)
        if ballot.is_statutory:
            context["mandate"] = selectors.ballot_mandate(
                ballot=ballot, employer=entry.employer
            )
    context["actions"] = [
        {
            "notice": notice,
            "action": documents.ACTION_NAMES[notice.action],
            **documents.action_notice_parts(notice.content),
            "start_on": datetime.date.fromisoformat(notice.content["start_on"])
            if notice.continuous
            else None,
        }
        for notice in selectors.action_notices_for_member(ballot=ballot, entry=entry)
    ]
    return TemplateResponse(request, "disputes/my_ballot_detail.html", context)
