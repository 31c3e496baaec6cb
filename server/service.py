"""The message pipeline every channel shares: risk first, then state, redaction, engine, actions.

Order matters and is the same for every channel:
1. the risk check runs on every message before anything else (rate limits, redaction, storage);
2. a provider delivery already handled gets the same reply again (deduplication);
3. the person's state is loaded by keyed sender hash, the text is redacted (failing closed),
   the pure engine decides, and the actions run, all in one database transaction;
4. if storage fails, the person still gets any handoff, and is told their message was not saved.
"""

from __future__ import annotations

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
from bot.safecheck import NOT_SAFE
from bot.state import ConversationState
from bot.textnorm import clean_text
from config.app import AppConfig
from dialogues.schema import Dialogue
from privacy import RedactionError, RedactionResult, Redactor
from privacy.contact import seal_contact
from privacy.pseudonym import Pseudonymiser
from safeguarding import Detector, RiskAssessment
from safeguarding.handoff import compose
from server.delivery import delivery_key, open_code, open_replies, seal_code, seal_replies
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
    over_limit: bool = False  # the web app found the client over its bound (still risk-checked)
    client: str | None = None  # the web client's keyed address, for its own share of limits


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
        dedupe_key = delivery_key(
            self.pseudonymiser, inbound.channel, sender_hash, inbound.message_id
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
            if not claimed and dedupe_key is not None:
                cached = self._retried(repo, dedupe_key, inbound, channel, text, risk, now)
                if cached is not None:
                    return cached, "duplicate"
                dedupe_key = None  # the id reused for another message: processed, not cached
            replies, outcome, urgent_flagged = self._process(
                repo, inbound, channel, text, risk, sender_hash, now
            )
            if dedupe_key is not None:  # every outcome, a limit's too: a retry is never silent
                repo.store_reply(
                    dedupe_key, seal_replies(self.pseudonymiser, inbound, text, replies)
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
    ) -> tuple[list[OutboundMessage], str, bool]:
        conv_cfg = self.config.conversation
        state = self._load_state(repo, inbound.channel, inbound.sender, now)
        handoff = self._handoff(risk, now, channel, state, inbound.route)
        urgent_handoff = (  # for a No or Not sure to "Are you safe right now?"
            self._handoff(NOT_SAFE, now, channel, state, inbound.route)
            if state is not None and state.safe_check
            else None
        )
        shared = (
            not channel.personal
            or inbound.route is not None
            or (state is not None and state.route is not None)
        )
        if channel.over_limit or not self.limiter.allow(sender_hash, shared_device=shared):
            # Risk handling comes before any limit: the helplines, and the queue item.
            log.info("over rate limit", extra={"channel": inbound.channel, "risk": risk.level})
            urgent = self._flag_while_limited(repo, state, text, risk, now)
            replies = [OutboundMessage(handoff, kind="handoff")] if handoff else []
            replies.append(OutboundMessage(self.dialogue.messages.over_limit, kind="notice"))
            return replies, "rate_limited", urgent
        too_long = len(text) > conv_cfg.max_message_chars
        redacted, failed = self._redact(text, too_long)
        if failed:
            self.metrics.redaction_failures.inc()
        partner = self.config.partner_by_route(inbound.route)
        code = new_code()
        turn = Turn(
            text=text,
            now=now,
            channel=inbound.channel,
            risk=risk,
            handoff=handoff,
            redacted=redacted,
            redaction_failed=failed,
            new_conversation_id=str(uuid.uuid4()),
            new_code=code,
            new_code_sealed=seal_code(self.pseudonymiser, inbound, code),
            code=open_code(self.pseudonymiser, inbound, state.code_sealed if state else None),
            personal_channel=channel.personal and partner is None,
            route=partner.route if partner else None,
            route_kind=partner.kind if partner else None,
            media_count=inbound.media_count,
            too_long=too_long,
            urgent_handoff=urgent_handoff,
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
            code_try_allowed=lambda squeezed: self.limiter.allow_code_try(
                sender_hash, squeezed=squeezed, client=channel.client
            ),
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
        return replies, "redaction_failed" if failed else "ok", urgent_flagged

    def _flag_while_limited(
        self,
        repo: Repository,
        state: ConversationState | None,
        text: str,
        risk: RiskAssessment,
        now: datetime,
    ) -> bool:
        """Queue a limited sender's disclosure as the engine would (the words only with consent,
        redacted, failing closed); True when it is urgent."""
        if risk.level == "none":
            return False
        words = None
        if state is not None and state.consented:
            redacted, _ = self._redact(text, len(text) > self.config.conversation.max_message_chars)
            words = redacted.text or None if redacted is not None else None
        repo.add_flag(
            state.conversation_id if state is not None else None,
            risk.level,
            list(risk.kinds),
            risk.who,
            list(risk.reasons),
            words,
            now,
        )
        return risk.level == "urgent"

    def _retried(
        self,
        repo: Repository,
        key: str,
        inbound: InboundMessage,
        channel: ChannelInfo,
        text: str,
        risk: RiskAssessment,
        now: datetime,
    ) -> list[OutboundMessage] | None:
        """The replies a retried delivery got (None if it is not the same message). A disclosure
        is never answered from the cache alone: its helplines are composed afresh, first."""
        cached = open_replies(self.pseudonymiser, inbound, text, repo.cached_reply(key, now))
        if cached is None or risk.level == "none":
            return cached
        state = self._load_state(repo, inbound.channel, inbound.sender, now)
        handoff = self._handoff(risk, now, channel, state, inbound.route)
        rest = [r for r in cached if r.kind != "handoff"]
        return ([OutboundMessage(handoff, kind="handoff")] if handoff else []) + rest

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
