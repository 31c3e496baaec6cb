"""Tables. No raw message text and no raw sender identifier is ever a column here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from privacy import REDACTION_VERSION


class Base(DeclarativeBase):
    """Declarative base for all tables."""


class Conversation(Base):
    """One conversation. ``state`` is the engine's state (no text)."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dialogue_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32), index=True)
    route: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    consented: Mapped[bool] = mapped_column(Boolean, default=False)
    groups: Mapped[list[str] | None] = mapped_column(JSON)
    age_band: Mapped[str | None] = mapped_column(String(16))
    risk_level: Mapped[str] = mapped_column(String(16), default="none")
    code_hash: Mapped[str | None] = mapped_column(String(80), index=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SenderLink(Base):
    """The only link from a keyed sender hash to a conversation; removed when it ends."""

    __tablename__ = "sender_links"

    sender_hash: Mapped[str] = mapped_column(String(80), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    key_version: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Answer(Base):
    """One redacted answer."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    entity_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    reported: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The redactor version that produced ``text`` (None: stored before versions were kept);
    # ``speakup reredact --all`` brings older answers up to the current one.
    redaction_version: Mapped[str | None] = mapped_column(String(40), default=REDACTION_VERSION)


class Flag(Base):
    """A risk detection for the safeguarding queue. ``text`` is redacted, or empty."""

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    who: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    decision: Mapped[str | None] = mapped_column(Text)
    redaction_version: Mapped[str | None] = mapped_column(String(40), default=REDACTION_VERSION)
    score: Mapped[float | None] = mapped_column(Float)  # the model's score, when it judged
    # A safeguarding lead's correction: the level this text should have had (for training).
    true_level: Mapped[str | None] = mapped_column(String(16), index=True)
    corrected_by: Mapped[str | None] = mapped_column(String(200))
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProcessedMessage(Base):
    """A provider delivery already handled: its keyed hash and the reply it got (no inbound text)."""

    __tablename__ = "processed_messages"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    reply: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CodeAttempt(Base):
    """A failed DELETE <code> attempt, counted across all senders for the global limit."""

    __tablename__ = "code_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Withdrawal(Base):
    """A conversation whose answers were deleted, so analysts can remove it from old exports."""

    __tablename__ = "withdrawals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Export(Base):
    """One export of redacted answers: when, by whom, and how many rows."""

    __tablename__ = "exports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(8))
    rows: Mapped[int] = mapped_column(Integer)


class StaffUser(Base):
    """A member of review staff. The TOTP secret is sealed with the session secret."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The last TOTP time step accepted, so a code works once (migration 0007).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)


class StaffSessionRow(Base):
    """A signed-in staff session. The cookie holds a random id; only its SHA-256 is stored here,
    so ending a session (sign out, disable, role change, "sign everyone out") is deleting a row."""

    __tablename__ = "staff_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    queue_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SigninFailure(Base):
    """One refused sign-in (wrong email, password or code), for the per-account and per-client
    limits. Keys are keyed hashes: no email address or client address is stored."""

    __tablename__ = "staff_signin_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    client_key: Mapped[str] = mapped_column(String(64), index=True)


class AuditEvent(Base):
    """Append-only audit trail; each entry carries the hash of the one before it."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Recusal(Base):
    """A staff member stepped back from a transcript they recognise: it is hidden from them."""

    __tablename__ = "recusals"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    conversation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Contact(Base):
    """A consented contact, sealed to the safeguarding partner's public key. Never in transcripts or exports."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(36), index=True)
    sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ThemeRecord(Base):
    """One theme of the codebook. Retired themes stay so old codings still resolve."""

    __tablename__ = "themes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ThemeCodedAnswer(Base):
    """A person decided an answer's themes (possibly none): it is a confirmed example."""

    __tablename__ = "theme_coded_answers"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    coded_by: Mapped[str] = mapped_column(String(200))
    coded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ThemeCoding(Base):
    """One confirmed theme on one answer: who, when, and whether the model had suggested it."""

    __tablename__ = "theme_codings"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ThemeSuggestion(Base):
    """One of the model's best themes for an answer (``chosen``: shown as a suggestion), refreshed
    in the background. Scores are confidences from 0 to 1."""

    __tablename__ = "theme_suggestions"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    model_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # How unsure the model is (|score - 0.5|): the coding queue reads rank-0 rows in this order.
    doubt: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        Index("ix_theme_suggestions_queue", "rank", "doubt", "answer_id"),
        Index("ix_theme_suggestions_theme_score", "theme_id", "score"),  # a theme's surest
    )


class ThemeEmbedding(Base):
    """An answer's sentence embedding (384 float32, little-endian), kept so that a refit re-runs
    only the small models. ``text_hash`` names the text it came from: a changed text (re-redacted)
    is embedded again, and the row goes with the answer."""

    __tablename__ = "theme_embeddings"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    text_hash: Mapped[str] = mapped_column(String(32))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ThemeSummary(Base):
    """People per theme for the findings pages, each person counted once per scope (a question
    id, or "" for all questions): ``dimension`` "confirmed" or "suggested" (``value`` ""), or a
    breakdown ("group", "age_band", "channel", "route") and its value, counting either. Rebuilt
    after each refresh of the suggestions and kept up to date on each coding."""

    __tablename__ = "theme_summary"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(120), primary_key=True)
    people: Mapped[int] = mapped_column(Integer)


class ThemeDismissed(Base):
    """An answer staff dismissed from a candidate theme on the discovery page: later groupings
    leave it out."""

    __tablename__ = "theme_dismissed"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    dismissed_by: Mapped[str] = mapped_column(String(200))
    dismissed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
