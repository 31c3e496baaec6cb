"""Per-sender rate limits, keyed by the sender's keyed hash (never an IP address).

Memory storage in development, Redis when ``REDIS_URL`` is set, so limits hold across workers.
Defaults suit a consultation: bursts of messages are normal, hundreds a day from one phone are
not. The risk check and any handoff always run before a limit applies.
"""

from __future__ import annotations

import hashlib

from limits import RateLimitItemPerDay, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from bot.config import RateLimitConfig


class SenderLimiter:
    """Decides whether a sender may be processed, and whether to tell them they are over."""

    def __init__(self, config: RateLimitConfig, storage_url: str | None = None) -> None:
        self.storage = storage_from_string(storage_url or "memory://")
        self.limiter = FixedWindowRateLimiter(self.storage)
        self.per_minute = RateLimitItemPerMinute(config.messages_per_minute)
        self.per_day = RateLimitItemPerDay(config.messages_per_day)
        self.notice = RateLimitItemPerHour(1)

    @staticmethod
    def _key(sender_hash: str) -> str:
        # The stored key is a hash of the keyed hash: nothing in Redis can be joined to the database.
        return hashlib.sha256(f"rl:{sender_hash}".encode()).hexdigest()[:32]

    def allow(self, sender_hash: str, *, shared_device: bool) -> bool:
        """Count one message; False when the sender is over a limit."""
        key = self._key(sender_hash)
        if not self.limiter.hit(self.per_minute, "m", key):
            return False
        # A phone a hostel or prison lends is many people: no daily limit there.
        return shared_device or self.limiter.hit(self.per_day, "d", key)

    def should_notify(self, sender_hash: str) -> bool:
        """True once per hour per sender: over-limit senders get one polite message, not a stream."""
        return self.limiter.hit(self.notice, "n", self._key(sender_hash))
