"""What the web chat shows for one turn: bot texts in web wording, the form's controls, the title.

Pure helpers for ``server/webchat.py``: no I/O. Replies come from the engine in its default
(text-message) wording; :class:`Presenter` maps each to the web's or the kiosk's wording and
decides what the form offers next (radios, checkboxes or a text box).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from bot.keywords import parse_keyword
from bot.messages import OutboundMessage
from config.app import KioskConfig
from dialogues.schema import Dialogue
from dialogues.variants import ChannelWording

ENDED = {
    "messages.bye",
    "messages.stop",
    "messages.thanks",
    "messages.thanks_with_code",
    "messages.delete_done",
    "messages.consent_declined",
}
# Said while a question stays open, and each says press "Skip this question".
ASKED_AGAIN = {"messages.empty", "messages.choice_unclear", "messages.gloss"}
_CODE = re.compile(r"^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$")


@dataclass
class Item:
    """One line of the chat log."""

    who: str  # "you" | "bot"
    text: str
    kind: str = "text"  # "text" | "handoff" | "prompt"
    glosses: tuple[str, ...] = ()


@dataclass
class Prompt:
    """What the person can answer with next."""

    legend: str = ""
    choices: tuple[str, ...] = ()
    multiple: bool = False
    text_step: bool = False  # a question answered in words
    skippable: bool = False  # one of the consultation's questions: offer "Skip this question"
    exclusive: tuple[bool, ...] = ()  # "None of these": unticks the others (GOV.UK checkboxes)


@dataclass
class Turn:
    """Everything a page or a fetch() answer shows for one turn."""

    items: list[Item] = field(default_factory=list)
    prompt: Prompt = field(default_factory=Prompt)
    ended: bool = False
    too_long: bool = False
    code: str = ""
    title: str = "Have your say"
    bye: bool = False
    before_consent: bool = False


class Presenter:
    """Builds a :class:`Turn` from the engine's replies, in one channel's wording."""

    def __init__(self, dialogue: Dialogue, values: dict[str, object]) -> None:
        self.dialogue = dialogue
        self.web = ChannelWording(dialogue, ("web",), values)
        self.kiosk = ChannelWording(dialogue, ("kiosk", "web"), values)
        ids = [s.id for s in dialogue.steps]
        self.numbers = {s.id: ids.index(s.id) + 1 for s in dialogue.steps}

    def turn(
        self, replies: list[OutboundMessage], *, kiosk: bool, code: str, echo: str = ""
    ) -> Turn:
        """The page's view of one turn's replies."""
        wording = self.kiosk if kiosk else self.web
        out = Turn(code=code if _CODE.match(code) else "")
        said = echo.strip()
        if said and not said.replace(" ", "").isdigit() and parse_keyword(said) is None:
            out.items.append(Item("you", echo))  # choices and buttons are echoed by the page
        titles: list[str] = []
        for reply in replies:
            where, values = wording.which(reply.text)
            if where == "messages.code_reminder":
                continue  # the end page shows the code in its own panel
            text = wording.adapt(reply.text)
            glosses: tuple[str, ...] = ()
            if reply.kind == "handoff":
                text = text.removeprefix("Speak Up\n")
                titles.append("Help is available")
            if where in ("messages.code_issued", "messages.thanks_with_code") and "code" in values:
                out.code = values["code"]
            if where == "messages.delete_done":
                out.code = ""
            if where == "messages.too_long":
                out.too_long = True
            if where in ENDED:
                out.ended = True
                titles.append("Chat ended")
            out.bye = out.bye or where == "messages.bye"
            if where in ASKED_AGAIN:  # the question is still open: its Skip button stays
                out.prompt.skippable = True
            if where and where.startswith("steps."):
                step = self.dialogue.step(where.split(".")[1])
                glosses = tuple(step.glosses.values())
                titles.append(f"Question {self.numbers[step.id]}: {_short(text)}")
                out.prompt = Prompt(
                    legend=text,
                    choices=reply.choices,
                    multiple=step.kind == "multi_choice",
                    text_step=step.kind == "text",
                    skippable=True,
                    exclusive=tuple(c.exclusive for c in step.choices),
                )
            elif reply.choices:
                out.before_consent = where == "messages.consent"
                titles.append("Before you start" if out.before_consent else "Your choice")
                out.prompt = Prompt(legend=text, choices=reply.choices)
            out.items.append(Item("bot", text, reply.kind, glosses))
        if out.too_long:  # what was typed stays in the box instead
            out.items = [i for i in out.items if i.who != "you"]
            titles.insert(0, "Error: your answer is too long")
        if titles:
            out.title = titles[0]
        return out


def _short(text: str, limit: int = 60) -> str:
    """The question in a few words, for a page title: its first line, cut at a word."""
    first = text.split("\n", 1)[0].split(": ", 1)[-1].strip().strip('"')
    first = re.split(r"(?<=[?.])\s", first, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "..."


_LINKS = re.compile(
    r"(?P<url>https://[^\s<>\"]+[^\s<>\".,;:!?)])"
    r"|(?P<mail>[\w.+-]+@[\w-]+(?:\.[\w-]+)+\w)"
    r"|(?P<shout>text SHOUT to 85258)"
    r"|(?<![\w-])(?P<code>[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})(?![\w-])"
    r"|(?<![\w-])(?P<tel>0\d{3} ?\d{3,4}(?: ?\d{3,4})?|116 ?123|999|111)(?![\w-])"
)


def chat_text(text: str) -> Markup:
    """A bot text for the page: links as :func:`linkify`, and "- " lines as a bulleted list."""
    out: list[str] = []
    bullets: list[str] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            bullets.append(f"<li>{linkify(line[2:])}</li>")
            continue
        if bullets:
            out.append('<ul class="govuk-list govuk-list--bullet">' + "".join(bullets) + "</ul>")
            bullets = []
        out.append(str(linkify(line)) + "\n")
    if bullets:
        out.append('<ul class="govuk-list govuk-list--bullet">' + "".join(bullets) + "</ul>")
    return Markup("".join(out).rstrip("\n"))  # noqa: S704 (linkify escapes every part)


def linkify(text: str) -> Markup:
    """Escape a bot text; make web links, email addresses and helpline numbers tappable."""
    out: list[str] = []
    last = 0
    for m in _LINKS.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        shown = html.escape(m.group(0))
        if m.group("url"):
            out.append(
                f'<a class="govuk-link" href="{shown}" rel="noreferrer noopener">{shown}</a>'
            )
        elif m.group("mail"):
            out.append(f'<a class="govuk-link" href="mailto:{shown}">{shown}</a>')
        elif m.group("code"):  # a withdrawal code: kept on one line, easy to copy
            out.append(f'<strong class="app-code">{shown}</strong>')
        elif m.group("shout"):
            out.append(f'<a class="govuk-link" href="sms:85258?body=SHOUT">{shown}</a>')
        else:
            digits = m.group("tel").replace(" ", "")
            out.append(f'<a class="govuk-link app-tel" href="tel:{digits}">{shown}</a>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return Markup("".join(out))  # noqa: S704 (every part is escaped above)


def render_markdown(text: str) -> str:
    """Render the small Markdown subset the notices use (headings, lists, paragraphs, links)."""
    out: list[str] = []
    in_list = False
    for block in text.split("\n"):
        line = html.escape(block.rstrip())
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        line = re.sub(
            r"\[(.+?)\]\(((?:https?://|mailto:|tel:|sms:)[^)\s]+|/[^)\s]*)\)",
            r'<a class="govuk-link" href="\2">\1</a>',
            line,
        )
        if line.startswith("- "):
            if not in_list:
                out.append('<ul class="govuk-list govuk-list--bullet">')
                in_list = True
            out.append(f"<li>{line[2:]}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if line.startswith("### "):
            out.append(f'<h3 class="govuk-heading-s">{line[4:]}</h3>')
        elif line.startswith("## "):
            out.append(f'<h2 class="govuk-heading-m">{line[3:]}</h2>')
        elif line.startswith("# "):
            out.append(f'<h1 class="govuk-heading-l">{line[2:]}</h1>')
        elif line:
            out.append(f'<p class="govuk-body">{line}</p>')
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def page_links(kiosk: dict[str, Any] | None, view: str, exit_url: str) -> dict[str, str]:
    """A page's own links. A notice opened mid-chat, and Exit, carry the page's view, so that
    Exit can close the chat's pages for good (no Back to them on a shared phone)."""
    query = [str(kiosk["query"]).lstrip("?")] if kiosk else []
    if view:
        query.append("view=" + quote(view, safe="."))

    def page(path: str) -> str:
        return path + ("?" + "&".join(query) if query else "")

    away = str(kiosk["url"]) if kiosk else exit_url
    return {
        "exit": page("/exit") if view else away,
        "privacy": page("/privacy"),
        "accessibility": page("/accessibility"),
    }


def kiosk_view(
    cfg: KioskConfig, route: str | None, finished: bool = False, code: bool = False
) -> dict[str, object] | None:
    """A lent tablet's page settings (None for an ordinary chat): its welcome, its reset times."""
    if route is None:
        return None
    finish = cfg.code_seconds if code else cfg.finish_seconds  # time to write the code down
    return {
        "url": f"/?kiosk={route}",
        "query": f"?kiosk={route}",
        "idle": cfg.idle_seconds,
        "finish": finish,
        "refresh": finish if finished else cfg.idle_seconds,
    }
