"""The message pipeline every channel shares: risk first, then state, redaction, engine, actions.

Order matters and is the same for every channel:
1. the risk check runs on every message before anything else (rate limits, redaction, storage);
2. a provider delivery already handled gets the same reply again (deduplication);
3. the person's state is loaded by keyed sender hash, the text is redacted (failing closed),
   the pure engine decides, and the actions run, all in one database transaction;
4. if storage fails, the person still gets any handoff, and is told their message was not saved.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from actions import ACTIONS, ActionContext
from bot.codes import new_code
from bot.effects import RecordFlag
from bot.engine import EngineConfig, Turn, step
from bot.keywords import parse_keyword
from bot.messages import InboundMessage, OutboundMessage
from bot.state import ConversationState
from bot.textnorm import clean_text
from config.app import AppConfig
from dialogues.schema import Dialogue
from privacy import RedactionError, RedactionResult, Redactor
from privacy.contact import seal_contact
from privacy.pseudonym import Pseudonymiser
from safeguarding import Detector, RiskAssessment
from safeguarding.handoff import compose
from server.gate import HandlerGate, KeyedLocks
from server.logfilter import sensitive
from server.metrics import Metrics
from server.notify import UrgentNotifier
from storage import Database, Repository
from storage.ratelimit import SenderLimiter

log = logging.getLogger("speakup.service")
ADULT_BANDS = {"18_24", "25_39", "40_64", "65_plus"}
ADULT_GROUPS = {"parent", "kinship_carer", "foster_carer", "adopter", "professional"}


def utcnow() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ChannelInfo:
    """How a channel behaves: a personal phone, or a device many people share."""

    kind: str  # "sms", "whatsapp", "telegram", "web", "rest", "cli"
    personal: bool = True


class ConversationService:
    """Handles one inbound message at a time per sender and returns the replies."""

    def __init__(
        self,
        *,
        config: AppConfig,
        dialogue: Dialogue,
        db: Database,
        redactor: Redactor,
        detector: Detector,
        pseudonymiser: Pseudonymiser,
        clock: Callable[[], datetime] = utcnow,
        limiter: SenderLimiter | None = None,
        metrics: Metrics | None = None,
        contact_key: str | None = None,
    ) -> None:
        self.config = config
        self.dialogue = dialogue
        self.db = db
        self.redactor = redactor
        self.detector = detector
        self.pseudonymiser = pseudonymiser
        self.clock = clock
        self.limiter = limiter or SenderLimiter(config.rate_limit)
        self.metrics = metrics or Metrics()
        self._rng = random.SystemRandom()
        self.contact_key = contact_key
        self.notifier = UrgentNotifier(config.safeguarding.notify_webhook_url)
        conv = config.conversation
        self.engine_config = EngineConfig(
            dialogue=dialogue,
            idle=timedelta(minutes=conv.idle_minutes),
            privacy_url=config.public_base_url.rstrip("/") + "/privacy",
            max_chars=conv.max_message_chars,
            partners={p.code: (p.route, p.kind) for p in config.partners},
            contact_enabled=config.safeguarding.consented_contact.enabled
            and contact_key is not None,
            contact_partner=config.safeguarding.consented_contact.partner_name,
            contact_within=config.safeguarding.consented_contact.respond_within,
        )
        self._locks = KeyedLocks()
        self._gate = HandlerGate(conv.handler_threads)

    async def handle_async(
        self, inbound: InboundMessage, channel: ChannelInfo
    ) -> list[OutboundMessage]:
        """:meth:`handle` for the web app: on the worker's few handler threads, and behind the
        same sender's earlier messages in arrival order."""
        sender_hash = self.pseudonymiser.sender(inbound.channel, inbound.sender)
        return await self._gate.run(sender_hash, self._handle_sender, inbound, channel, sender_hash)

    def handle(self, inbound: InboundMessage, channel: ChannelInfo) -> list[OutboundMessage]:
        """Process one message and return the replies, in order. Never raises for bad input."""
        sender_hash = self.pseudonymiser.sender(inbound.channel, inbound.sender)
        return self._handle_sender(inbound, channel, sender_hash)

    def _handle_sender(
        self, inbound: InboundMessage, channel: ChannelInfo, sender_hash: str
    ) -> list[OutboundMessage]:
        now = self.clock()
        started = time.perf_counter()
        text = clean_text(inbound.text)
        risk = self.detector.assess(text)  # always first
        if risk.level != "none":
            self.metrics.risk.labels(level=risk.level).inc()
        with sensitive(inbound.text, text, inbound.sender), self._locks.hold(sender_hash):
            try:
                replies, outcome = self._handle(inbound, channel, text, risk, sender_hash, now)
                self.metrics.messages.labels(channel=inbound.channel, outcome=outcome).inc()
                self.metrics.latency.labels(channel=inbound.channel).observe(
                    time.perf_counter() - started
                )
                return replies
            except Exception as exc:
                self.metrics.messages.labels(channel=inbound.channel, outcome="not_saved").inc()
                log.error(
                    "message not saved: %s", type(exc).__name__, extra={"channel": inbound.channel}
                )
                handoff = self._handoff(risk, now, channel, None, inbound.route)
                replies = [OutboundMessage(handoff, kind="handoff")] if handoff else []
                replies.append(OutboundMessage(self.dialogue.messages.not_saved))
                return replies

    def _handle(
        self,
        inbound: InboundMessage,
        channel: ChannelInfo,
        text: str,
        risk: RiskAssessment,
        sender_hash: str,
        now: datetime,
    ) -> tuple[list[OutboundMessage], str]:
        """One transaction: the sender's lock, the delivery's claim, the turn and its reply.

        The claim is a row inserted in the same transaction as everything the message changes, so
        it exists exactly when the message's effects do. A retry of a delivery still in flight
        waits for it (the sender's lock, then the row's unique key) and then sees its reply; a
        worker that dies mid-message rolls back with its claim, so the retry is processed as new.
        """
        dedupe_key = (
            self.pseudonymiser.token(f"delivery:{inbound.channel}", inbound.message_id)
            if inbound.message_id
            else None
        )
        with self.db.transaction() as conn:
            repo = Repository(conn)
            conv_cfg = self.config.conversation
            claimed = repo.start_message(
                sender_hash,
                wait_seconds=conv_cfg.lock_wait_seconds,
                delivery_key=dedupe_key,
                expires_at=now + timedelta(hours=conv_cfg.dedupe_hours),
            )
            if not claimed and dedupe_key is not None and inbound.message_id is not None:
                cached = self._cached_replies(
                    repo, dedupe_key, inbound.channel, inbound.message_id, now
                )
                return cached or [], "duplicate"
            replies, outcome, urgent_flagged = self._process(
                repo, inbound, channel, text, risk, sender_hash, now, dedupe_key
            )
        if urgent_flagged:
            self.notifier.notify()  # after the commit: the item is on the queue
        log.info(
            "message handled",
            extra={"channel": inbound.channel, "risk": risk.level, "replies": len(replies)},
        )
        return replies, outcome

    def _process(
        self,
        repo: Repository,
        inbound: InboundMessage,
        channel: ChannelInfo,
        text: str,
        risk: RiskAssessment,
        sender_hash: str,
        now: datetime,
        dedupe_key: str | None,
    ) -> tuple[list[OutboundMessage], str, bool]:
        conv_cfg = self.config.conversation
        state = self._load_state(repo, inbound.channel, inbound.sender, now)
        handoff = self._handoff(risk, now, channel, state, inbound.route)
        shared = (
            not channel.personal
            or inbound.route is not None
            or (state is not None and state.route is not None)
        )
        if not self.limiter.allow(sender_hash, shared_device=shared):
            log.info("over rate limit", extra={"channel": inbound.channel, "risk": risk.level})
            replies = [OutboundMessage(handoff, kind="handoff")] if handoff else []
            if self.limiter.should_notify(sender_hash):
                replies.append(OutboundMessage(self.dialogue.messages.over_limit))
            return replies, "rate_limited", False
        too_long = len(text) > conv_cfg.max_message_chars
        redacted, failed = self._redact(text, too_long)
        if failed:
            self.metrics.redaction_failures.inc()
        partner = self.config.partner_by_route(inbound.route)
        turn = Turn(
            text=text,
            now=now,
            channel=inbound.channel,
            risk=risk,
            handoff=handoff,
            redacted=redacted,
            redaction_failed=failed,
            new_conversation_id=str(uuid.uuid4()),
            new_code=new_code(),
            personal_channel=channel.personal and partner is None,
            route=partner.route if partner else None,
            route_kind=partner.kind if partner else None,
            media_count=inbound.media_count,
            too_long=too_long,
            sample_for_audit=risk.level == "none"
            and self._rng.random() < self.config.safeguarding.audit_sample_rate,
        )
        result = step(self.engine_config, state, turn)
        replies = list(result.replies)
        if result.state is not None:
            repo.ensure_conversation(result.state, self.dialogue.id)
        ctx = ActionContext(
            repo=repo,
            pseudonymiser=self.pseudonymiser,
            messages=self.dialogue.messages,
            now=now,
            code_attempts_per_hour=self.config.withdrawal.failed_attempts_per_hour,
            seal_contact=(lambda c: seal_contact(self.contact_key or "", c))
            if self.contact_key
            else None,
            contact_days=self.config.safeguarding.consented_contact.keep_days,
        )
        for effect in result.effects:
            replies.extend(ACTIONS[type(effect)].run(effect, ctx))
        urgent_flagged = any(
            isinstance(e, RecordFlag) and e.level == "urgent" for e in result.effects
        )
        if result.state is not None:
            repo.save_state(sender_hash, self.pseudonymiser.current, result.state, self.dialogue.id)
        else:
            repo.unlink_sender(sender_hash)
        if dedupe_key is not None and inbound.message_id is not None:
            payload = json.dumps(
                [{"text": r.text, "choices": list(r.choices), "kind": r.kind} for r in replies]
            )
            sealed = self.pseudonymiser.seal(
                f"reply:{inbound.channel}", inbound.message_id, payload.encode()
            )
            repo.store_reply(dedupe_key, [{"sealed": sealed}])
        return replies, "redaction_failed" if failed else "ok", urgent_flagged

    def _cached_replies(
        self, repo: Repository, key: str, channel: str, message_id: str, now: datetime
    ) -> list[OutboundMessage] | None:
        """The replies already sent for this delivery, opened with its raw id (never stored)."""
        cached = repo.cached_reply(key, now)
        if not cached:
            return None
        opened = self.pseudonymiser.unseal(
            f"reply:{channel}", message_id, str(cached[0].get("sealed", ""))
        )
        if opened is None:
            return None
        return [
            OutboundMessage(r["text"], tuple(r.get("choices", ())), r.get("kind", "text"))
            for r in json.loads(opened)
        ]

    def replies_for(
        self, channel: str, message_id: str, open_for: str | None = None
    ) -> list[OutboundMessage] | None:
        """The replies already sent for one delivery, if still kept (the web chat's page after
        a redirect); None once they have expired, or when ``open_for`` (a sender) is given and
        that sender's conversation has ended."""
        key = self.pseudonymiser.token(f"delivery:{channel}", message_id)
        now = self.clock()
        with self.db.transaction() as conn:
            repo = Repository(conn)
            if open_for is not None:  # looked up under every key version, moving no link
                window = timedelta(hours=self.config.conversation.resume_window_hours)
                versions = self.pseudonymiser.sender_all_versions(channel, open_for)
                if all(repo.load_state(h, window=window, now=now) is None for _, h in versions):
                    return None
            return self._cached_replies(repo, key, channel, message_id, now)

    def record_failed_handoff(self, channel: str, code: str) -> None:
        """A handoff that never arrived joins the safeguarding queue (no identifiers are known)."""
        with self.db.transaction() as conn:
            Repository(conn).add_flag(
                None, "handoff_failed", [], None, [f"{channel}:{code}"], None, self.clock()
            )

    def expire_links(self, window: timedelta) -> int:
        """Remove every sender link idle for longer than ``window``; return how many."""
        now = self.clock()
        with self.db.transaction() as conn:
            return Repository(conn).expire_links(older_than=now - window, now=now)

    def _load_state(
        self, repo: Repository, channel: str, sender: str, now: datetime
    ) -> ConversationState | None:
        """Find the sender's conversation under any key version; an old-key link is dropped and
        the conversation is saved under the current key at the end of this message."""
        window = timedelta(hours=self.config.conversation.resume_window_hours)
        for version, candidate in self.pseudonymiser.sender_all_versions(channel, sender):
            state = repo.load_state(candidate, window=window, now=now)
            if state is not None:
                if version != self.pseudonymiser.current:
                    repo.unlink_sender(candidate)
                return state
        return None

    def _handoff(
        self,
        risk: RiskAssessment,
        now: datetime,
        channel: ChannelInfo,
        state: ConversationState | None,
        route: str | None,
    ) -> str | None:
        """Compose the handoff for a risk, using what the conversation knows about the writer."""
        if risk.level == "none":
            return None
        adult = None
        if state is not None and (
            state.age_band in ADULT_BANDS or set(state.groups) & ADULT_GROUPS
        ):
            adult = True
        route_kind = state.route_kind if state is not None else self._route_kind(route)
        return compose(
            risk,
            self.config.safeguarding,
            when=now,
            channel_kind=channel.kind,
            route_kind=route_kind,
            writer_is_adult=adult,
            bank_holidays=self.config.bank_holidays,
        )

    def _route_kind(self, route: str | None) -> str | None:
        partner = self.config.partner_by_route(route)
        return partner.kind if partner else None

    def _redact(self, text: str, too_long: bool) -> tuple[RedactionResult | None, bool]:
        if not text or too_long or parse_keyword(text) is not None:
            return RedactionResult(text="", entities=()), False
        try:
            return self.redactor.redact(text), False
        except RedactionError as exc:
            log.error("redaction failed: %s", exc)
            return None, True
