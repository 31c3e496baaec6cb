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
import secrets
from datetime import datetime, timedelta
from typing import Any

from bot.messages import InboundMessage, OutboundMessage
from privacy import RedactionError, Redactor
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


def _draft_key(pseudonymiser: Pseudonymiser, channel: str, sender: str, message_id: str) -> str:
    sender_hash = pseudonymiser.sender(channel, sender)
    return pseudonymiser.token(f"draft:{channel}", f"{sender_hash}\x00{message_id}")


def keep_draft(
    db: Database,
    pseudonymiser: Pseudonymiser,
    redactor: Redactor,
    inbound: InboundMessage,
    expires_at: datetime,
) -> bool:
    """Keep a web answer too long to save for its page after the redirect: redacted first (the
    raw text is never stored), sealed to the raw conversation token and message id (neither is
    stored) under a keyed hash of them, until ``expires_at`` (the page's own life). False when
    redaction failed, and nothing is kept."""
    assert inbound.message_id is not None
    try:
        redacted = redactor.redact(inbound.text)
    except RedactionError:
        return False
    draft = {"text": redacted.text, "changed": bool(redacted.entities)}
    key = _draft_key(pseudonymiser, inbound.channel, inbound.sender, inbound.message_id)
    value = _seal_value(inbound.sender, inbound.message_id)
    sealed = pseudonymiser.seal(f"draft:{inbound.channel}", value, json.dumps(draft).encode())
    with db.transaction() as conn:
        repo = Repository(conn)
        repo.claim_once(key, expires_at)
        repo.store_reply(key, [{"sealed": sealed}])
    return True


def open_draft(
    db: Database,
    pseudonymiser: Pseudonymiser,
    channel: str,
    sender: str,
    message_id: str,
    now: datetime,
) -> dict[str, object] | None:
    """The draft :func:`keep_draft` kept, while it lasts; None once expired or unreadable."""
    key = _draft_key(pseudonymiser, channel, sender, message_id)
    with db.transaction() as conn:
        stored = Repository(conn).cached_reply(key, now)
    if not stored:
        return None
    opened = pseudonymiser.unseal(
        f"draft:{channel}", _seal_value(sender, message_id), str(stored[0].get("sealed", ""))
    )
    data = json.loads(opened) if opened is not None else None
    return data if isinstance(data, dict) else None


def close_web_chat(
    db: Database, pseudonymiser: Pseudonymiser, token: str, window: timedelta, now: datetime
) -> None:
    """Close the web chat a conversation token names ("Exit this page"): none of its pages
    opens again. Its answers stay saved, as after Finish."""
    with db.transaction() as conn:
        repo = Repository(conn)
        for _, sender_hash in pseudonymiser.sender_all_versions("web", token):
            state = repo.load_state(sender_hash, window=window, now=now)
            if state is not None:
                repo.close_conversation(state.conversation_id, "exit", now)


def seal_view(pseudonymiser: Pseudonymiser, data: dict[str, object]) -> str:
    """A web chat page's view: a random id and the page's data sealed under it (the token
    and the message id are never in the URL in clear)."""
    view_id = secrets.token_urlsafe(24)
    return view_id + "." + pseudonymiser.seal("webview", view_id, json.dumps(data).encode())


def open_view(pseudonymiser: Pseudonymiser, value: str) -> dict[str, Any] | None:
    """What :func:`seal_view` sealed; None if it cannot be opened."""
    view_id, _, sealed = value.partition(".")
    if not view_id or not sealed:
        return None
    try:
        opened = pseudonymiser.unseal("webview", view_id, sealed)
    except ValueError:
        return None
    data = json.loads(opened) if opened is not None else None
    return data if isinstance(data, dict) else None


def seal_code(pseudonymiser: Pseudonymiser, inbound: InboundMessage, code: str) -> str:
    """A withdrawal code sealed to the raw sender, which is never stored: the state carries it
    to the end of the chat (to repeat it), and the database alone cannot open it."""
    value = f"{inbound.channel}\x00{inbound.sender}"
    return pseudonymiser.seal("withdrawal-code", value, code.encode())


def open_code(
    pseudonymiser: Pseudonymiser, inbound: InboundMessage, sealed: str | None
) -> str | None:
    """The code :func:`seal_code` sealed for this sender; None when unknown or unreadable."""
    if not sealed:
        return None
    try:
        opened = pseudonymiser.unseal(
            "withdrawal-code", f"{inbound.channel}\x00{inbound.sender}", sealed
        )
    except ValueError:
        return None
    return opened.decode() if opened is not None else None
