"""A provider delivery's claim key and its sealed reply, both bound to the keyed sender.

A retried delivery is answered from the reply stored the first time. The key and the seal name
the sender as well as the message id: ids come from the client on REST and web chat, so two
senders can send the same one, and neither may ever see the other's replies (a withdrawal code)
or lose their own message. The key is a keyed hash of the sender's keyed hash and the id; the
reply is sealed under a key derived from the raw sender and the raw id, neither of which is
stored, so the database alone cannot open it.
"""

from __future__ import annotations

import json

from bot.messages import OutboundMessage
from privacy.pseudonym import Pseudonymiser


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
    channel: str,
    sender: str,
    message_id: str,
    replies: list[OutboundMessage],
) -> list[dict[str, str]]:
    """The stored form of a delivery's replies: sealed to this sender and this id."""
    payload = json.dumps(
        [{"text": r.text, "choices": list(r.choices), "kind": r.kind} for r in replies]
    )
    sealed = pseudonymiser.seal(
        f"reply:{channel}", _seal_value(sender, message_id), payload.encode()
    )
    return [{"sealed": sealed}]


def open_replies(
    pseudonymiser: Pseudonymiser,
    channel: str,
    sender: str,
    message_id: str,
    stored: list[dict[str, object]] | None,
) -> list[OutboundMessage] | None:
    """The replies a delivery got, opened with the raw sender and id; None if they cannot be."""
    if not stored:
        return None
    opened = pseudonymiser.unseal(
        f"reply:{channel}", _seal_value(sender, message_id), str(stored[0].get("sealed", ""))
    )
    if opened is None:
        return None
    return [
        OutboundMessage(r["text"], tuple(r.get("choices", ())), r.get("kind", "text"))
        for r in json.loads(opened)
    ]
