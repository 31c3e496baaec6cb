"""The schema every dialogue file must follow, validated when the process starts."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dialogues.yamlfile import load_yaml_model

HERE = Path(__file__).resolve().parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    """One option of a choice question. ``aliases`` are other words that pick it."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    aliases: tuple[str, ...] = ()
    exclusive: bool = False  # "prefer not to say": cannot be combined with others


class Step(_Strict):
    """One question."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Literal["text", "choice", "multi_choice"]
    prompt: str
    choices: tuple[Choice, ...] = ()
    fixed_wording: bool = False
    personal: bool = False
    show_if_groups: tuple[str, ...] = ()
    profile: Literal["groups", "age_band"] | None = None
    # Plain meanings of hard words in the review's fixed wording, shown under the question on the
    # web and sent when someone asks what a word means (bot/glossary.py). Optional.
    glosses: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _choices_match_kind(self) -> Step:
        if self.kind == "text" and self.choices:
            raise ValueError("a text step has no choices")
        if self.kind != "text" and len(self.choices) < 2:
            raise ValueError("a choice step needs at least two choices")
        return self


class Messages(_Strict):
    """Every fixed text the bot sends outside the questions."""

    welcome: str
    partner_note: str
    consent: str
    consent_choices: tuple[Choice, ...]
    consent_declined: str
    consent_unclear: str
    code_issued: str
    help: str
    privacy: str
    bye: str
    stop: str
    stop_risk: str
    empty: str
    too_long: str
    choice_unclear: str
    resume: str
    resume_choices: tuple[Choice, ...]
    delete_done: str
    delete_code_done: str
    delete_code_not_found: str
    delete_code_limited: str
    redaction_failed: str
    after_urgent: str
    after_urgent_choices: tuple[Choice, ...]
    added_to_answer: str  # words written at "Carry on / Take a break", saved with the answer
    paused: str
    thanks: str
    thanks_with_code: str  # the end, repeating the code ({code}) and how to use it here
    code_reminder: str  # after BYE: the code again ({code})
    contact_offer: str
    contact_explain: str
    contact_choices: tuple[Choice, ...]
    contact_ask: str
    contact_saved: str
    contact_declined: str
    contact_unclear: str
    still_here: str
    over_limit: str
    media_declined: str
    unknown_partner: str
    not_saved: str
    # "Are you safe right now?": asked when the risk check is not sure (level "check")
    safe_check: str
    safe_check_prison: str
    safe_check_shared: str
    safe_check_choices: tuple[Choice, ...]
    safe_check_yes: str
    gloss: str = "A word.\n{meaning}\nAnswer when you are ready, or send SKIP."


class Dialogue(_Strict):
    """A whole consultation: fixed messages and ordered steps."""

    id: str
    title: str
    messages: Messages
    steps: tuple[Step, ...]
    # Optional wording per channel ("web", "kiosk"): {where: text}, where is a key of texts(),
    # such as "messages.welcome" or "steps.groups.prompt". Channels without one use the default.
    channel_texts: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Dialogue:
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)):
            raise ValueError("step ids must be unique")
        group_ids = {c.id for s in self.steps if s.profile == "groups" for c in s.choices}
        for step in self.steps:
            unknown = set(step.show_if_groups) - group_ids
            if unknown:
                raise ValueError(
                    f"step {step.id}: show_if_groups names unknown groups {sorted(unknown)}"
                )
        known = {where for where, _, _ in self.texts()}
        for channel, variants in self.channel_texts.items():
            unknown_texts = set(variants) - known
            if unknown_texts:
                raise ValueError(
                    f"channel_texts.{channel} names unknown texts {sorted(unknown_texts)}"
                )
        return self

    def step(self, step_id: str) -> Step:
        """Return a step by id."""
        return next(s for s in self.steps if s.id == step_id)

    def texts(self) -> list[tuple[str, str, bool]]:
        """Every text the bot can send: (where, text, fixed wording)."""
        out = [
            (f"messages.{name}", value, False)
            for name, value in self.messages
            if isinstance(value, str)
        ]
        out += [(f"steps.{s.id}.prompt", s.prompt, s.fixed_wording) for s in self.steps]
        return out


@cache
def load_dialogue(name: str = "consultation") -> Dialogue:
    """Load a dialogue shipped in this package by name (cached per process)."""
    return load_yaml_model(HERE / f"{name}.yml", Dialogue)
