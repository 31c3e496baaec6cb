"""Per-sender rate limits, keyed by the sender's keyed hash (never an IP address).

Memory storage in development, Redis when ``REDIS_URL`` is set, so limits hold across workers.
If Redis stops answering, each worker counts in its own memory until Redis is back (limits get
looser for a while, never stricter): a rate limiter must not stop people being heard.
Defaults suit a consultation: bursts of messages are normal, hundreds a day from one phone are
not. The risk check and any handoff always run before a limit applies.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence

import redis
from limits import (
    RateLimitItem,
    RateLimitItemPerDay,
    RateLimitItemPerHour,
    RateLimitItemPerMinute,
)
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from config.app import RateLimitConfig

log = logging.getLogger("speakup.ratelimit")
RETRY_SECONDS = 5.0  # how long to count in memory before trying Redis again
# Every counter of one message in one round trip: count, and start a window on the first count.
_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return counts
"""
Check = tuple[RateLimitItem, tuple[str, ...]]
# DELETE <code> tries a sender may make in an hour; one an hour each while guessing is widespread.
CODE_TRIES_PER_HOUR = 5
CLIENT_CODE_TRIES_PER_HOUR = 10  # one web client (address), across all its conversations
# New web conversations one client (an address) may start: a household, a class behind one
# school address, or a library tablet on a partner's kiosk route (many people, one address).
CLIENT_CONVERSATIONS_PER_HOUR = 60
KIOSK_CONVERSATIONS_PER_HOUR = 240


class RateCounter:
    """Fixed-window counting in Redis (shared by every worker) or memory, falling back to memory
    while Redis does not answer. Used for senders here and for staff sign-in in ``review``."""

    def __init__(self, storage_url: str | None = None) -> None:
        self._redis = None
        self._client: redis.Redis | None = None
        if storage_url and storage_url.startswith("redis"):
            client = redis.Redis.from_url(
                storage_url, socket_timeout=0.5, socket_connect_timeout=0.5
            )
            self._client, self._redis = client, client.register_script(_COUNT)
        self._local = FixedWindowRateLimiter(MemoryStorage())
        self._shared_down_until = 0.0

    def test(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Whether one more would be within ``item``'s limit, without counting it."""
        if self._client is not None and time.monotonic() >= self._shared_down_until:
            try:
                count = self._client.get(item.key_for(*identifiers))
                return int(count or 0) < item.amount
            except Exception as exc:  # the store is outside this process: any failure
                log.warning("rate-limit store unavailable: %s", type(exc).__name__)
                self._shared_down_until = time.monotonic() + RETRY_SECONDS
        return bool(self._local.test(item, *identifiers))

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one; False when ``item``'s limit is already reached for these identifiers."""
        return self.hit_all([(item, identifiers)])[0]

    def hit_all(self, checks: Sequence[Check]) -> list[bool]:
        """Count one against each (limit, identifiers), in one round trip; False where over."""
        if self._redis is not None and time.monotonic() >= self._shared_down_until:
            try:
                counts = self._redis(
                    keys=[item.key_for(*ids) for item, ids in checks],
                    args=[item.get_expiry() for item, _ in checks],
                )
                return [int(n) <= item.amount for n, (item, _) in zip(counts, checks, strict=True)]
            except Exception as exc:  # the store is outside this process: any failure
                log.warning("rate-limit store unavailable: %s", type(exc).__name__)
                self._shared_down_until = time.monotonic() + RETRY_SECONDS
        return [bool(self._local.hit(item, *ids)) for item, ids in checks]


class SenderLimiter:
    """Decides whether a sender may be processed (one who is not is told so, every time), may
    try a withdrawal code, and whether a web client may start another conversation."""

    def __init__(self, config: RateLimitConfig, storage_url: str | None = None) -> None:
        self.counter = RateCounter(storage_url)
        self.per_minute = RateLimitItemPerMinute(config.messages_per_minute)
        self.per_day = RateLimitItemPerDay(config.messages_per_day)
        self.code_tries = RateLimitItemPerHour(CODE_TRIES_PER_HOUR)
        self.code_tries_squeezed = RateLimitItemPerHour(1)
        self.client_code_tries = RateLimitItemPerHour(CLIENT_CODE_TRIES_PER_HOUR)
        self.client_conversations = RateLimitItemPerHour(CLIENT_CONVERSATIONS_PER_HOUR)
        self.kiosk_conversations = RateLimitItemPerHour(KIOSK_CONVERSATIONS_PER_HOUR)
        self.once_an_hour = RateLimitItemPerHour(1)

    @staticmethod
    def _key(sender_hash: str) -> str:
        # The stored key is a hash of the keyed hash: nothing in Redis can be joined to the database.
        return hashlib.sha256(f"rl:{sender_hash}".encode()).hexdigest()[:32]

    def allow(self, sender_hash: str, *, shared_device: bool) -> bool:
        """Count one message; False when the sender is over a limit."""
        key = self._key(sender_hash)
        checks: list[Check] = [(self.per_minute, ("m", key))]
        if not shared_device:  # a phone a hostel or prison lends is many people: no daily limit
            checks.append((self.per_day, ("d", key)))
        return all(self.counter.hit_all(checks))

    def allow_code_try(
        self, sender_hash: str, *, squeezed: bool, client: str | None = None
    ) -> bool:
        """Count one DELETE <code> try by this sender; False when they have had their share.

        Guessing is limited per sender, so nobody's guesses can use up anyone else's tries:
        ``squeezed`` (many failures everywhere this hour) cuts each sender to one try an hour,
        but every sender's first try is always checked, so an owner with their code gets through.
        A web client (``client``, its keyed address) also has a share of its own, since each of
        its conversations is a new sender.
        """
        key = self._key(sender_hash)
        checks: list[Check] = [
            (self.code_tries_squeezed, ("cs", key)) if squeezed else (self.code_tries, ("c", key))
        ]
        if client is not None:
            checks.append((self.client_code_tries, ("cc", self._key(client))))
        return all(self.counter.hit_all(checks))

    def allow_conversation(self, client: str, conversation: str, *, kiosk: bool) -> bool:
        """Whether a web client (keyed address) may go on with this conversation (its token).

        A conversation counts against its client the first time it is seen in an hour; one
        refused stays refused for the hour, so a fresh token is no way round the bound. A kiosk
        route (a partner's shared tablet) has a higher bound.
        """
        token, where = self._key(conversation), self._key(client)
        if not self.counter.test(self.once_an_hour, "wr", token):
            return False  # refused earlier this hour
        if not self.counter.hit(self.once_an_hour, "ws", token):
            return True  # already going: not a new conversation
        if self.counter.hit(
            self.kiosk_conversations if kiosk else self.client_conversations, "wc", where
        ):
            return True
        self.counter.hit(self.once_an_hour, "wr", token)
        return False
