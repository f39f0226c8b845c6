"""The member's three turnout buttons ("I've voted", "I need a replacement voting
paper", "Don't contact me about this ballot") for the pages that show them: the
ballot's page in the portal (``disputes.views.my_ballot``, signed in) and the page
of the emailed link (``turnout.views.voted_link``, without signing in). One form,
one place that calls the services; the markup is ``FORMS_TEMPLATE``.

Nothing here asks or keeps how anyone voted: only that they did.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes.models import Ballot
from tolpuddle.members.models import Membership
from tolpuddle.turnout import services
from tolpuddle.turnout.forms import (
    DO_NOT_CONTACT,
    REPLACEMENT,
    VOTED,
    MemberTurnoutForm,
)
from tolpuddle.turnout.models import SaidVotedVia

FORMS_TEMPLATE = "turnout/_member_forms.html"

DONE = {
    VOTED: "Thank you for voting, and for telling us. We will not remind you again "
    "about this ballot.",
    DO_NOT_CONTACT: "We will not contact you again about this ballot.",
    REPLACEMENT: "We have asked the independent scrutineer to send you a replacement "
    "voting paper. Please allow a few days for it to arrive.",
}


def member_turnout_submit(
    request: HttpRequest,
    *,
    ballot: Ballot,
    membership: Membership,
    via: SaidVotedVia,
    by: User | None,
) -> MemberTurnoutForm | None:
    """Bind the button pressed and call the one service it asks for. None when it
    is done (a message for the next page is added); otherwise the form, with what
    went wrong, for the page to show again (400)."""
    form = MemberTurnoutForm(request.POST)
    if not form.is_valid():
        return form
    action = form.cleaned_data["action"]
    try:
        if action == VOTED:
            services.turnout_voted_record(
                ballot=ballot, membership=membership, via=via, by=by
            )
        elif action == DO_NOT_CONTACT:
            services.turnout_do_not_contact_set(
                ballot=ballot, membership=membership, by=by
            )
        else:
            services.replacement_paper_request(
                ballot=ballot, membership=membership, by=by
            )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return form
    messages.success(request, DONE[action])
    return None
