"""SMS replies are GSM-7 and split at line breaks into parts of at most two segments."""

from __future__ import annotations

from bot.messages import OutboundMessage
from bot.textrules import is_gsm7, sms_segments
from channels.twilio import TwilioChannel, split_sms


def test_long_replies_split_at_line_breaks_within_two_segments() -> None:
    text = "\n".join(f"Line {i}: " + "words " * 12 for i in range(10))
    parts = split_sms(text)
    assert len(parts) > 1
    assert all(sms_segments(p) <= 2 for p in parts)
    assert "\n".join(parts).replace("\n", "") == text.replace("\n", "")


def test_a_single_long_line_splits_at_spaces() -> None:
    parts = split_sms("word " * 200)
    assert all(len(p) <= 306 for p in parts) and all(not p.startswith(" ") for p in parts)


def test_twiml_is_gsm7_even_if_a_text_has_curly_quotes() -> None:
    channel = TwilioChannel("t" * 32, "https://speakup.example.org")
    out = channel.render(None, [OutboundMessage("It\u2019s \u201cfine\u201d \u2013 really\u2026")])
    assert 'It\'s "fine" - really...' in out.body.replace("&quot;", '"')
    assert is_gsm7('It\'s "fine" - really...')
