"""Keyed pseudonyms: HMAC-SHA256 with versioned keys, namespaced by channel.

Raw sender ids are never stored; only ``v<version>:<hex>`` digests are. HMAC cannot be reversed,
so rotating the key re-keys a conversation lazily: when a sender writes again, the service looks
them up under every known key version and moves the link to the current one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


@dataclass(frozen=True)
class Pseudonymiser:
    """Computes keyed hashes. ``keys`` maps version -> secret; ``current`` names the one to write."""

    keys: dict[str, bytes]
    current: str

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise ValueError("the current key version has no key")

    def _digest(self, version: str, purpose: str, value: str) -> str:
        mac = hmac.new(self.keys[version], f"{purpose}\x00{value}".encode(), hashlib.sha256)
        return f"v{version}:{mac.hexdigest()}"

    def sender(self, channel: str, sender_id: str, version: str | None = None) -> str:
        """Return the keyed hash of a sender id on a channel (namespaced so ids never collide)."""
        return self._digest(version or self.current, f"sender:{channel}", sender_id)

    def sender_all_versions(self, channel: str, sender_id: str) -> list[tuple[str, str]]:
        """Return (version, hash) for every key, current first: used to re-key lazily."""
        order = [self.current, *(v for v in self.keys if v != self.current)]
        return [(v, self.sender(channel, sender_id, v)) for v in order]

    def token(self, purpose: str, value: str, version: str | None = None) -> str:
        """Return a keyed hash for another purpose (withdrawal codes, delivery ids)."""
        return self._digest(version or self.current, purpose, value)

    def token_all_versions(self, purpose: str, value: str) -> list[str]:
        """Return the keyed hash under every key version."""
        return [self._digest(v, purpose, value) for v in self.keys]

    def seal(self, purpose: str, value: str, data: bytes) -> str:
        """Encrypt ``data`` under a key derived from a raw value the database never holds.

        Used for cached replies to provider deliveries: only a retry carrying the same raw id can
        open them, so a withdrawal code in a cached reply is unreadable from the database alone.
        """
        key = hmac.new(
            self.keys[self.current], f"seal:{purpose}\x00{value}".encode(), hashlib.sha256
        ).digest()
        nonce = os.urandom(12)
        return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, data, None)).decode()

    def unseal(self, purpose: str, value: str, sealed: str) -> bytes | None:
        """Open what :meth:`seal` made; None if it cannot (other key, other value, tampering)."""
        raw = base64.b64decode(sealed)
        key = hmac.new(
            self.keys[self.current], f"seal:{purpose}\x00{value}".encode(), hashlib.sha256
        ).digest()
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], None)
        except (InvalidTag, ValueError):
            return None
