"""Readable labels for the staff app: ids become words, times become "30 Nov 2026, 14:05".

Safeguarding kinds and "who" are labelled from the point of view of the person at risk: a message
about someone else being hurt ("he will hurt my little sister") is never shown as a threat made
by the writer. The detector's ids are unchanged; only what staff read is.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from config.app import AppConfig
from dialogues.schema import Dialogue

LONDON = ZoneInfo("Europe/London")
CHANNELS = {
    "web": "Web chat",
    "sms": "Text message (SMS)",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "rest": "App (REST)",
}
LEVELS = {
    "urgent": "Urgent",
    "handoff_failed": "Handoff failed",
    "check": "Check (asked if safe)",
    "support": "Support",
    "audit_sample": "Audit sample (judged no risk)",
    "none": "No risk found",
}
KINDS = {
    "suicide": "Suicide",
    "self_harm": "Self-harm",
    "abuse": "Abuse",
    "sexual_abuse": "Sexual abuse",
    "exploitation": "Exploitation",
    "neglect": "Neglect",
    "violence": "Violence",
    "medical_emergency": "Medical emergency",
    "threat_to_others": "Someone else may be harmed",
    "distress": "Distress",
}
# The detector's rule ids, as staff read them; a test checks every rule in rules.yml has one.
REASONS = {
    "suicide_intent_now": "Says they mean to end their life now",
    "suicide_despair": "Despair, wanting to die",
    "suicide_finality": "Sounds like a goodbye",
    "means_ready": "Has the means ready",
    "means_tonight": "A plan with a time (tonight, soon)",
    "ingestion": "Has taken something (tablets, poison)",
    "self_harm_now": "Hurting themselves now",
    "sextortion": "Sexual images used to threaten",
    "child_unresponsive": "A child not waking or not breathing",
    "child_unsafe_outside": "A child unsafe or alone outside",
    "threat_against_writer": "Someone has threatened to hurt them",
    "threat_by_writer": "Says they will hurt someone",
    "fear_of_hurting_baby": "Afraid they will hurt their baby",
    "suicide_explicit": "Says plainly they want to end their life",
    "abuse_ongoing": "Abuse happening now",
    "sexual_abuse_ongoing": "Sexual abuse happening now",
    "exploitation_now": "Being exploited now",
    "exploitation_contact": "Contact from someone exploiting them",
    "unsafe_now": "Not safe right now",
    "medical_signs_now": "Signs of a medical emergency",
    "implicit_plan": "A plan hinted at",
    "abuser_works_with_children": "An abuser who works with children",
    "danger_combination": "Harm words with a time and a vulnerable person",
    "exploitation_combination": "Signs of exploitation together",
    "distress": "Distress",
    "broad rule: asks": "Strong words the model did not back up: asked if they are safe",
    "mostly words it cannot read: asks": "Mostly words it cannot read (another language?): asked",
    "past_harm": "Harm in the past",
    "past_suicide_or_self_harm": "Past suicide attempt or self-harm",
    "unsafe_at_home": "Not safe at home",
    "worrying_emoji_alone": "Emoji alone: a pill, knife or blood",
    "feels_unsafe": "Says they do not feel safe",
}
ACTIONS = {
    "signin": "Signed in",
    "signout": "Signed out",
    "signin_failed": "Sign-in refused",
    "signin_limited": "Sign-in limited (too many attempts)",
    "signout_everyone": "Signed everyone out",
    "search": "Searched or filtered transcripts",
    "transcript_view": "Read a transcript",
    "question_view": "Read answers to a question",
    "leak_reported": "Reported personal data in an answer",
    "answer_unhidden": "Showed a hidden answer again",
    "stepped_back": "Stepped back from a transcript",
    "step_back_undone": "Undid stepping back",
    "flag_opened": "Opened a safeguarding item",
    "flag_reviewed": "Reviewed a safeguarding item",
    "flag_corrected": "Corrected an item's level",
    "corrections_export": "Downloaded level corrections",
    "export": "Exported answers",
    "audit_export": "Downloaded the audit log",
    "staff_add": "Account added or reset (command line)",
    "staff_disable": "Account disabled (command line)",
    "staff_sign_out": "Sessions ended (command line)",
    "staff_added": "Added a member of staff",
    "staff_disabled": "Disabled an account",
    "staff_enabled": "Enabled an account",
    "staff_role_changed": "Changed a role",
    "staff_two_factor_reset": "Reset two-factor",
}
STATUSES = {"active": "Not finished", "finished": "Finished", "closed": "Stopped early"}
ROLES = {
    "reviewer": "Reviewer",
    "safeguarding": "Safeguarding lead",
    "admin": "Administrator",
}
# Short names for the consultation's questions (the full wording shows with each answer).
SHORT = {
    "big_question": "The big question",
    "works_well": "What works well",
    "not_working": "What does not work well",
    "change_now": "What needs to change now",
    "change_later": "What should change in the next few years",
    "groups": "Which groups fit",
    "helped_hindered": "What helped or hindered",
    "lifelong_relationships": "Lifelong relationships",
    "stigma": "Stigma faced by care experienced young people",
    "good_home": "A good home",
    "carers_improve": "Carers: what to improve",
    "carers_well": "Carers: what works well",
    "parents_improve": "Parents: what to improve",
    "parents_well": "Parents: what works well",
    "future": "The system in future",
    "age_band": "Age",
}
_SPACE = re.compile(r"\s+")


_BREAK = re.compile(r"([=_\-/.@,:])|([^\s=_\-/.@,:]{16})")


def breakable(raw: object) -> Markup:
    """Escaped text with line-break chances (<wbr>) after punctuation and inside long runs, so
    ids and hashes wrap in a table cell on a phone instead of widening the page."""
    text = str(escape("" if raw is None else str(raw)))
    return Markup(_BREAK.sub(lambda m: m.group(0) + "<wbr>", text))  # noqa: S704 (escaped above)


def humanise(raw: str) -> str:
    """A last resort for an id with no label: ``in_care`` -> ``In care``."""
    text = raw.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def at_risk(kinds: list[str] | tuple[str, ...] | None, who: str | None) -> str:
    """Who is at risk, in words. A threat to others puts someone other than the writer at risk;
    it never says the writer made the threat (the writer may be reporting it)."""
    kinds = tuple(kinds or ())
    if who == "child":
        return "A child the writer tells us about"
    if who == "other_adult":
        return "Another adult the writer tells us about"
    if "threat_to_others" in kinds:
        return "Someone other than the writer"
    if who == "self":
        return "The person writing"
    return "Not known"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 minute``, ``2 minutes``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def waiting(minutes: int) -> str:
    """How long an item has waited: minutes, then hours, then days."""
    if minutes < 120:
        return plural(minutes, "minute")
    if minutes < 48 * 60:
        return plural(minutes // 60, "hour")
    return plural(minutes // (24 * 60), "day")


def _local(at: datetime) -> datetime:
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(LONDON)


def when(at: datetime | None) -> str:
    """``30 Nov 2026, 14:05`` in UK time."""
    if at is None:
        return ""
    local = _local(at)
    return f"{local.day} {local:%b %Y, %H:%M}"


def day(at: datetime | date | None) -> str:
    """``30 Nov 2026``."""
    if at is None:
        return ""
    d = _local(at) if isinstance(at, datetime) else at
    return f"{d.day} {d:%b %Y}"


def preview(text: str | None, limit: int = 90) -> str:
    """One line of redacted text, cut at a word boundary."""
    one = _SPACE.sub(" ", text or "").strip()
    if len(one) <= limit:
        return one
    cut = one[:limit].rsplit(" ", 1)[0]
    return cut + "…"


class Labels:
    """Every label the templates use, built once from the dialogue and the configuration."""

    def __init__(self, dialogue: Dialogue, config: AppConfig) -> None:
        self.questions = {s.id: s.prompt.split("\n", 1)[-1].split("\n")[0] for s in dialogue.steps}
        self.short = {
            s.id: SHORT.get(s.id) or preview(self.questions[s.id], 50) for s in dialogue.steps
        }
        self.choices: dict[str, dict[str, str]] = {}
        for step in dialogue.steps:
            if step.profile is not None:
                self.choices[step.profile] = {c.id: c.label for c in step.choices}
        self.routes = {p.route: p.name for p in config.partners}

    def group(self, raw: str) -> str:
        return self.choices.get("groups", {}).get(raw) or humanise(raw)

    def groups(self, raw: list[str] | None) -> str:
        return ", ".join(self.group(g) for g in raw or []) or "Not given"

    def age(self, raw: str | None) -> str:
        if not raw:
            return "Not given"
        return self.choices.get("age_band", {}).get(raw) or humanise(raw)

    def route(self, raw: str | None) -> str:
        if not raw or raw == "none":
            return "No partner route"
        if raw == "suppressed":
            return "Suppressed (small number)"
        return self.routes.get(raw, raw)

    def question(self, raw: str) -> str:
        return self.short.get(raw) or humanise(raw)

    def filters(self) -> dict[str, Any]:
        """The Jinja filters: ``{{ conv.channel | channel }}`` and so on."""
        return {
            "channel": lambda v: CHANNELS.get(v or "", humanise(v or "unknown")),
            "level": lambda v: LEVELS.get(v or "none", humanise(v or "")),
            "kind": lambda v: KINDS.get(v, humanise(v)),
            "kinds": lambda v: ", ".join(KINDS.get(k, humanise(k)) for k in v or []) or "None",
            "reason": lambda v: REASONS.get(v) or (v if " " in v else humanise(v)),
            "action": lambda v: ACTIONS.get(v, humanise(v)),
            "status": lambda v: STATUSES.get(v, humanise(v)),
            "role": lambda v: ROLES.get(v, humanise(v)),
            "group": self.group,
            "groups": self.groups,
            "age": self.age,
            "route": self.route,
            "question": self.question,
            "when": when,
            "day": day,
            "preview": preview,
            "breakable": breakable,
            "waiting": waiting,
        }

    def install(self, env: Any) -> None:
        env.filters.update(self.filters())
        env.globals.update(at_risk=at_risk, plural=plural, labels=self)
