"""Seal a consented contact (phone or email) so only the safeguarding partner can read it.

Anonymous public-key encryption: X25519 with a fresh key per message, HKDF-SHA256 and
AES-256-GCM. The service holds only the partner's public key (``SPEAKUP_CONTACT_KEY``, base64 of
the raw 32 bytes); the partner opens items with their private key, outside the service.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"speakup consented contact v1"
_RAW = serialization.Encoding.Raw


def _key(shared: bytes, ephemeral: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral, info=_INFO).derive(shared)


def seal_contact(public_key_b64: str, contact: str) -> str:
    """Encrypt ``contact`` to the partner's public key."""
    recipient = X25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    nonce = os.urandom(12)
    box = AESGCM(_key(ephemeral.exchange(recipient), eph_pub)).encrypt(
        nonce, contact.encode(), None
    )
    return base64.b64encode(eph_pub + nonce + box).decode()


def open_contact(private_key_b64: str, sealed: str) -> str:
    """Decrypt a sealed contact with the partner's private key (the partner's side)."""
    raw = base64.b64decode(sealed)
    eph_pub, nonce, box = raw[:32], raw[32:44], raw[44:]
    private = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key_b64))
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    return AESGCM(_key(shared, eph_pub)).decrypt(nonce, box, None).decode()


def new_keypair() -> tuple[str, str]:
    """A partner's (private, public) key pair, base64 of the raw bytes."""
    private = X25519PrivateKey.generate()
    priv = private.private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pub = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    return base64.b64encode(priv).decode(), base64.b64encode(pub).decode()
