"""Behaviour configuration (``config.yml``), validated at start-up.

Secrets never live here: they come from the environment (see ``config.settings``). A broken file
fails with :class:`ConfigError` naming the file, the field and the reason, never a stack trace.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dialogues.yamlfile import ConfigError, load_yaml_model
from privacy.policy import PrivacyPolicy
from safeguarding.helplines import HelplineConfig

__all__ = ["AppConfig", "ConfigError", "load_config"]

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.yml"


class Strict(BaseModel):
    """Base for config sections: unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ConversationConfig(Strict):
    """Timeouts and size limits for conversations."""

    idle_minutes: int = Field(
        60, ge=1, description="after this, a personal channel offers carry on"
    )
    resume_window_hours: int = Field(72, ge=1, description="after this the sender link is removed")
    max_message_chars: int = Field(2000, ge=100, le=20000)
    max_body_bytes: int = Field(32768, ge=1024, le=1048576)
    dedupe_hours: int = Field(48, ge=1)
    lock_wait_seconds: float = Field(
        10, gt=0, le=14, description="a message waits this long for the same sender's last one"
    )
    handler_threads: int = Field(
        4, ge=1, le=64, description="threads per worker handling messages (see server/gate.py)"
    )


class DatabaseConfig(Strict):
    """Connection limits for each worker. A message that cannot get a connection in time is not
    saved, and the person is told so and asked to send it again (the safety check still runs)."""

    pool_size: int = Field(5, ge=1, le=100)
    max_overflow: int = Field(5, ge=0, le=100)
    pool_timeout_seconds: float = Field(3, gt=0, le=30)
    connect_timeout_seconds: int = Field(3, ge=1, le=30)


class TextRules(Strict):
    """Ceilings every bot text must keep, checked by the test suite."""

    max_sms_segments: int = Field(4, ge=1, le=10)
    max_reading_grade: float = Field(6.0, ge=1, le=16)
    discreet_first_line_max_chars: int = Field(40, ge=10)
    sensitive_words: tuple[str, ...] = ()


class WithdrawalConfig(Strict):
    """Limits on DELETE <code> attempts, counted across all senders."""

    failed_attempts_per_hour: int = Field(60, ge=1)


class RetentionConfig(Strict):
    """How long each kind of record is kept before ``speakup purge`` removes it."""

    answers_days: int = Field(730, ge=1)
    flags_days: int = Field(730, ge=1)
    withdrawals_days: int = Field(730, ge=1)


class Partner(Strict):
    """A partner organisation's route: a code people text (START CODE) or a kiosk is set to."""

    code: str = Field(pattern=r"^[A-Z0-9]{3,20}$")
    route: str = Field(pattern=r"^[a-z0-9-]{2,40}$")
    kind: Literal["hostel", "prison", "kiosk", "youth", "other"] = "other"
    name: str


class ChannelToggle(Strict):
    """Whether a channel's routes are mounted."""

    enabled: bool = True


class KioskConfig(Strict):
    """Lent tablets: how soon the web chat resets itself for the next person."""

    idle_seconds: int = Field(180, ge=5, le=3600)
    finish_seconds: int = Field(10, ge=1, le=120)
    code_seconds: int = Field(
        60, ge=1, le=600, description="after Finish, time to write down the code (with a warning)"
    )


class OrganisationConfig(Strict):
    """Who runs the service and who is responsible for the data: shown on every public page."""

    runs_service: str = "Example organisation (replace before launch)"
    data_controller: str = "Example organisation (replace before launch)"
    contact_email: str = "privacy@example.org"
    feedback_email: str = "feedback@example.org"
    review_name: str = "Independent Review of Children's Social Care"
    review_url: str = (
        "https://www.gov.uk/government/groups/independent-review-of-childrens-social-care"
    )
    phase: Literal["alpha", "beta", "live"] = "beta"


class WebChatConfig(Strict):
    """The web chat's pages (server/webchat.py)."""

    view_minutes: int = Field(
        15, ge=1, le=120, description="a web chat page stays reopenable (Back, a link) this long"
    )


class ReviewConfig(Strict):
    """The staff app: sessions, sign-in limits, welfare reminders and export privacy."""

    session_idle_minutes: int = Field(30, ge=5, le=240)
    session_max_hours: int = Field(12, ge=1, le=24)
    signin_attempts_per_15_minutes: int = Field(5, ge=1, le=100)
    welfare_reminder_minutes: int = Field(45, ge=5, le=480)
    export_min_group_size: int = Field(10, ge=1, le=1000)


class RateLimitConfig(Strict):
    """Per-sender limits; the risk check always runs before them."""

    messages_per_minute: int = Field(20, ge=1)
    messages_per_day: int = Field(400, ge=1)


class AppConfig(Strict):
    """The whole of ``config.yml``."""

    dialogue: str = "consultation"
    public_base_url: str = "http://127.0.0.1:8000"
    conversation: ConversationConfig = ConversationConfig()
    database: DatabaseConfig = DatabaseConfig()
    text_rules: TextRules = TextRules()
    withdrawal: WithdrawalConfig = WithdrawalConfig()
    retention: RetentionConfig = RetentionConfig()
    rate_limit: RateLimitConfig = RateLimitConfig()
    kiosk: KioskConfig = KioskConfig()
    review: ReviewConfig = ReviewConfig()
    organisation: OrganisationConfig = OrganisationConfig()
    web_chat: WebChatConfig = WebChatConfig()
    channels: dict[str, ChannelToggle] = Field(default_factory=dict)
    partners: tuple[Partner, ...] = ()
    privacy: PrivacyPolicy = PrivacyPolicy()
    safeguarding: HelplineConfig
    bank_holidays: tuple[date, ...] = ()

    @field_validator("partners")
    @classmethod
    def _unique_codes(cls, partners: tuple[Partner, ...]) -> tuple[Partner, ...]:
        codes = [p.code for p in partners]
        if len(codes) != len(set(codes)):
            raise ValueError("partner codes must be unique")
        return partners

    def partner_by_code(self, code: str) -> Partner | None:
        """Return the partner whose code matches (case-insensitive), if any."""
        return next((p for p in self.partners if p.code == code.upper()), None)

    def partner_by_route(self, route: str | None) -> Partner | None:
        """Return the partner for a route name, if any."""
        return next((p for p in self.partners if p.route == route), None)


def load_config(path: Path | None = None) -> AppConfig:
    """Load and validate ``config.yml``."""
    return load_yaml_model(path or DEFAULT_CONFIG, AppConfig)
