"""Issue 15's "Why": every sentence it quotes gets urgent or check, with the helplines in the same
reply, in the web chat, over SMS and over Telegram, judged by the real ``load_detector()``.

The rules alone miss most of these; the learned layer is meant to catch them. None is marked
xfail: a miss here is a person who got the next question instead of help.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.channels.stack import Stack, running_stack
from tests.safeguarding.test_learned_layer import WHY  # every sentence quoted in issue 15

CHANNELS = ["web", "twilio", "telegram"]
HELPLINE = re.compile(r"0800 1111|116 123|0808 800 5000|\b999\b")
SUPPORT_OPENING = "If it would help to talk"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("why")) as s:
        yield s


def urgent_or_check(texts: list[str]) -> bool:
    """A reply that is the urgent handoff, or asks "Are you safe right now?", with helplines."""
    joined = "\n".join(texts)
    if not HELPLINE.search(joined) or not texts or not texts[0].startswith("Speak Up"):
        return False
    if "Are you safe right now?" in joined:
        return True
    return SUPPORT_OPENING not in texts[0]


@pytest.mark.parametrize("where", ["first message", "at a question"])
@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("sentence", WHY)
def test_every_why_sentence_gets_help_at_once(
    stack: Stack, channel: str, sentence: str, where: str
) -> None:
    driver = stack.drivers[channel]
    sender = driver.new_sender()
    if where == "at a question":
        for text in ("hi", "1"):
            assert driver.send(sender, text).status == 200
    sent = driver.send(sender, sentence)
    assert sent.status == 200, sent.raw[:200]
    assert urgent_or_check(sent.texts), f"{channel}, {where}: {sentence!r} got:\n" + "\n".join(
        sent.texts
    )


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_check_above_tells_urgent_from_support(stack: Stack, channel: str) -> None:
    driver = stack.drivers[channel]
    urgent, support = driver.new_sender(), driver.new_sender()
    assert urgent_or_check(driver.send(urgent, "ngl im gonna kms tonight").texts)
    assert not urgent_or_check(driver.send(support, "i feel so lonely since i left care").texts)
