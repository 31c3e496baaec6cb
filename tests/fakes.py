"""Small fake provider APIs on loopback, for the real SDK clients to talk to."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_TOKEN = "123456:TEST-token-for-the-fake-bot-api"


class FakeTelegramApi:
    """Answers getMe, sendMessage and setWebhook like the Bot API, and records what was sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.webhooks: list[dict[str, Any]] = []
        self.app = Starlette(
            routes=[Route("/bot{token}/{method}", self.handle, methods=["POST", "GET"])]
        )

    async def handle(self, request: Request) -> JSONResponse:
        token, method = request.path_params["token"], request.path_params["method"]
        if token != BOT_TOKEN:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401
            )
        body = await request.body()
        ctype = request.headers.get("content-type", "")
        if "json" in ctype:
            data = json.loads(body or b"{}")
        else:
            form = await request.form()
            data = dict(form.items())
        if method == "getMe":
            return JSONResponse(
                {
                    "ok": True,
                    "result": {
                        "id": 123456,
                        "is_bot": True,
                        "first_name": "Speak Up",
                        "username": "speakup_test_bot",
                        "can_join_groups": False,
                        "can_read_all_group_messages": False,
                        "supports_inline_queries": False,
                    },
                }
            )
        if method == "sendMessage":
            self.sent.append(data)
            return JSONResponse(
                {
                    "ok": True,
                    "result": {
                        "message_id": len(self.sent),
                        "date": 0,
                        "chat": {"id": int(data["chat_id"]), "type": "private"},
                        "text": data.get("text", ""),
                    },
                }
            )
        if method == "setWebhook":
            self.webhooks.append(data)
            return JSONResponse({"ok": True, "result": True})
        if method in ("deleteWebhook", "close", "logOut"):
            return JSONResponse({"ok": True, "result": True})
        return JSONResponse(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
        )

    def texts_for(self, chat_id: int, since: int = 0) -> list[str]:
        """Texts sent to a chat, with any reply keyboard shown as numbered lines."""
        out = []
        for m in self.sent[since:]:
            if int(m["chat_id"]) != chat_id:
                continue
            markup = m.get("reply_markup")
            markup = json.loads(markup) if isinstance(markup, str) else (markup or {})
            buttons = [row[0]["text"] for row in markup.get("keyboard", [])]
            numbered = "\n".join(f"{i}. {b}" for i, b in enumerate(buttons, 1))
            out.append(m["text"] + (f"\n\n{numbered}" if numbered else ""))
        return out
