"""Issue 18 (7) on text channels: the withdrawal code is repeated at the end, and how to use it
here; the code is never stored in clear, and its sealed copy goes when the chat closes.
Tester finding: words written at "Carry on / Take a break" after an urgent disclosure are kept."""

from __future__ import annotations

from sqlalchemy import select

from server.service import ConversationService
from storage.models import Answer, Conversation
from tests.storage.test_storage import code_from, talk

SENDER = "+447700900123"


def _everything_stored(service: ConversationService) -> str:
    with service.db.transaction() as conn:
        rows = [*conn.execute(select(Conversation)).all(), *conn.execute(select(Answer)).all()]
    return repr(rows)


def test_the_code_is_repeated_at_the_end_and_never_stored_in_clear(
    service: ConversationService,
) -> None:
    replies = talk(service, "hi", "1", sender=SENDER)
    code = code_from(replies)
    assert code not in _everything_stored(service)
    with service.db.transaction() as conn:
        [state] = conn.execute(select(Conversation.state)).scalars().all()
    assert state["code_sealed"]  # sealed to the phone number, which is not stored
    end = talk(service, "Children need people who stay.", "BYE", sender=SENDER)[-1]
    assert f"Your code is {code}. To delete your answers later, send DELETE {code} here." in end
    with service.db.transaction() as conn:
        [state] = conn.execute(select(Conversation.state)).scalars().all()
    assert state["code_sealed"] is None  # gone with the open conversation
    assert code not in _everything_stored(service)
    # Another number cannot get it repeated (the seal needs the raw sender).
    other = talk(service, "hi", "1", "BYE", sender="+447700900999")[-1]
    assert code not in other


def test_words_after_an_urgent_disclosure_are_saved_with_that_answer(
    service: ConversationService,
) -> None:
    talk(service, "hi", "1", sender=SENDER)
    after = talk(service, "im going to take all my tablets tonight", sender=SENDER)[-1]
    assert "take a break" in after
    more = talk(service, "the food at the home was good", sender=SENDER)[-1]
    assert "That is saved with your last answer." in more and "take a break" in more
    with service.db.transaction() as conn:
        answers = conn.execute(select(Answer.question_id, Answer.text)).all()
    assert [q for q, _ in answers] == ["big_question", "big_question"]
    assert answers[1].text == "the food at the home was good"
