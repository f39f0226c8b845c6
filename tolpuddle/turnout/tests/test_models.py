"""What the turnout tables can hold: that a member voted, never how."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from tolpuddle.turnout.forms import MemberTurnoutForm

# Every column of every turnout table. A new one fails this test until someone has
# looked at it and added it here: none may say how anyone voted or will vote.
EXPECTED = {
    "TurnoutReport": {
        "id", "created_at", "updated_at", "ballot", "membership", "workplace",
        "said_voted_at", "said_voted_via", "said_voted_by", "do_not_contact",
        "do_not_contact_at", "rep_status", "rep_exclude_reason", "rep_note",
        "rep_status_at", "rep_status_by", "replacement_requested_at",
        "replacement_requests",
    },
    "TurnoutCall": {"id", "ballot", "membership", "outcome", "note", "by", "created_at"},
    "ScrutineerTurnout": {
        "id", "created_at", "updated_at", "ballot", "day", "workplace", "returned",
        "recorded_by",
    },
    "TurnoutEvent": {"id", "ballot", "membership", "kind", "actor", "data", "created_at"},
}  # fmt: skip

WORDS_OF_A_VOTE = {
    "yes", "no", "answer", "answers", "choice", "choices", "support", "against",
    "favour", "intends", "intention", "option", "preference", "how", "question",
    "result", "for", "oppose"
}  # fmt: skip
CHOICE_VALUES_OF_A_VOTE = {"yes", "no", "for", "against", "support", "oppose"}


def _concrete_fields(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    return [f for f in model._meta.get_fields() if f.concrete]


def test_no_turnout_table_has_a_column_for_how_anyone_voted() -> None:
    tables = {m.__name__: m for m in apps.get_app_config("turnout").get_models()}

    assert set(tables) == set(EXPECTED)
    for name, model in tables.items():
        fields = _concrete_fields(model)
        assert {f.name for f in fields} == EXPECTED[name], name
        for field in fields:
            assert not set(field.name.split("_")) & WORDS_OF_A_VOTE, field
            assert "paper_number" not in field.name, field
            values = {str(value).lower() for value, _label in field.choices or []}
            assert not values & CHOICE_VALUES_OF_A_VOTE, field


def test_the_members_form_asks_only_which_button_was_pressed() -> None:
    form = MemberTurnoutForm()

    assert list(form.fields) == ["action"]
    assert [value for value, _label in form.fields["action"].choices] == [
        "voted",
        "do_not_contact",
        "replacement",
    ]
