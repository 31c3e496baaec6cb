"""A provider delivery's claim key and its sealed reply, both bound to the keyed sender.

A retried delivery is answered from the reply stored the first time. The key and the seal name
the sender as well as the message id: ids come from the client on REST and web chat, so two
senders can send the same one, and neither may ever see the other's replies (a withdrawal code)
or lose their own message; a sender who reuses an id for another text has that message
processed, not answered from the cache. The key is a keyed hash of the sender's keyed hash and the id; the
reply is sealed under a key derived from the raw sender and the raw id, neither of which is
stored, so the database alone cannot open it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.messages import InboundMessage, OutboundMessage
from privacy.pseudonym import Pseudonymiser
from storage import Database, Repository


def delivery_key(
    pseudonymiser: Pseudonymiser, channel: str, sender_hash: str, message_id: str | None
) -> str | None:
    """The claim key of one sender's delivery, or None when it carries no id."""
    if not message_id:
        return None
    return pseudonymiser.token(f"delivery:{channel}", f"{sender_hash}\x00{message_id}")


def _seal_value(sender: str, message_id: str) -> str:
    return f"{len(sender)}:{sender}\x00{message_id}"


def seal_replies(
    pseudonymiser: Pseudonymiser,
    inbound: InboundMessage,
    text: str,
    replies: list[OutboundMessage],
) -> list[dict[str, str]]:
    """The stored form of a delivery's replies, sealed to this sender and this id, with a keyed
    digest of the text they answered (inside the seal) to tell a retry from a reused id."""
    assert inbound.message_id is not None
    payload = json.dumps(
        {
            "text": pseudonymiser.token("retry-text", text),
            "replies": [
                {"text": r.text, "choices": list(r.choices), "kind": r.kind} for r in replies
            ],
        }
    )
    value = _seal_value(inbound.sender, inbound.message_id)
    return [{"sealed": pseudonymiser.seal(f"reply:{inbound.channel}", value, payload.encode())}]


def open_replies(
    pseudonymiser: Pseudonymiser,
    inbound: InboundMessage,
    text: str | None,
    stored: list[dict[str, object]] | None,
) -> list[OutboundMessage] | None:
    """The replies this very message got, opened with the raw sender and id; None if they
    cannot be opened or answered another text (the sender reused an id for a new message).
    ``text`` None opens them without that check (the web chat's own page after a redirect)."""
    if not stored or inbound.message_id is None:
        return None
    opened = pseudonymiser.unseal(
        f"reply:{inbound.channel}",
        _seal_value(inbound.sender, inbound.message_id),
        str(stored[0].get("sealed", "")),
    )
    if opened is None:
        return None
    data = json.loads(opened)
    if not isinstance(data, dict):
        return None
    if text is not None and data.get("text") != pseudonymiser.token("retry-text", text):
        return None
    return [
        OutboundMessage(r["text"], tuple(r.get("choices", ())), r.get("kind", "text"))
        for r in data["replies"]
    ]


def replies_for(
    db: Database,
    pseudonymiser: Pseudonymiser,
    channel: str,
    sender: str,
    message_id: str,
    now: datetime,
    open_window: timedelta | None,
) -> list[OutboundMessage] | None:
    """The replies one delivery got, while kept (the web chat's page after a redirect); None once
    expired, or, given ``open_window``, when the sender's conversation has ended."""
    key = delivery_key(pseudonymiser, channel, pseudonymiser.sender(channel, sender), message_id)
    with db.transaction() as conn:
        repo = Repository(conn)
        if open_window is not None:  # looked up under every key version, moving no link
            versions = pseudonymiser.sender_all_versions(channel, sender)
            if all(repo.load_state(h, window=open_window, now=now) is None for _, h in versions):
                return None
        inbound = InboundMessage(channel, sender, "", now, message_id)
        return open_replies(pseudonymiser, inbound, None, repo.cached_reply(key or "", now))
