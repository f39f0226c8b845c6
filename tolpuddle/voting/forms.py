"""The voting form: a code (on the public page), then one group of radio buttons for
each question."""

from __future__ import annotations

from typing import Any

from django import forms

from tolpuddle.voting.codes import code_normalise
from tolpuddle.voting.models import Question

QUESTION_PREFIX = "question-"


class VoteForm(forms.Form):
    def __init__(
        self, *args: Any, questions: list[Question], with_code: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = forms.CharField(
                label="Your voting code",
                help_text="16 letters and numbers, from your email. Dashes, spaces "
                "and capitals do not matter.",
                max_length=40,
                error_messages={"required": "Enter the voting code from your email."},
            )
        for question in questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(c.pk, c.text) for c in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose an answer to “{question.text}”.",
                    "invalid_choice": f"Choose one of the answers to “{question.text}”.",
                },
            )

    def clean_code(self) -> str:
        code = code_normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "That is not a voting code. A code has 16 letters and numbers, like "
                "ABCD-EFGH-JKMN-PQRS: copy it from your email."
            )
        return code

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(QUESTION_PREFIX)]

    def answers(self) -> dict[int, int]:
        return {
            int(name.removeprefix(QUESTION_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(QUESTION_PREFIX)
        }

    def refusal_add(self, message: str, extra: dict[str, Any]) -> None:
        """Show a service's refusal: beside the field it is about, if any (the code,
        a question), else at the top."""
        fields: dict[str, str] = extra.get("fields") or {}
        if fields:
            for name, problem in fields.items():
                self.add_error(name if name in self.fields else None, problem)
            return
        about = extra.get("field")
        self.add_error(about if about in self.fields else None, message)


class ReceiptCheckForm(forms.Form):
    receipt = forms.CharField(
        label="Your receipt",
        help_text="The 16 letters and numbers shown when you voted.",
        max_length=40,
        error_messages={"required": "Enter the receipt you were given when you voted."},
    )
