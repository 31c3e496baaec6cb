"""Several workers on one PostgreSQL: bursts from the same senders through different workers are
processed one at a time per sender, and every conversation stores exactly what was sent."""

from __future__ import annotations

import threading

from sqlalchemy import select

from privacy import Redactor
from privacy.pseudonym import Pseudonymiser
from storage import Database
from storage.models import Answer, SenderLink
from tests.conftest import Clock, make_service, send_sms

QUESTIONS = ["big_question", "works_well", "not_working", "change_now", "change_later"]


def test_concurrent_bursts_through_different_workers(
    pg_db: Database, redactor: Redactor, clock: Clock, pseudonymiser: Pseudonymiser
) -> None:
    workers = [
        make_service(pg_db, redactor, clock, pseudonymiser) for _ in range(3)
    ]  # separate in-process locks
    senders = [f"+4477009{i:05d}" for i in range(6)]

    def send(worker_index: int, sender: str, text: str, message_id: str) -> None:
        send_sms(workers[worker_index % 3], text, sender, message_id)

    for i, sender in enumerate(senders):  # welcome and consent, in order
        send(i, sender, "hi", f"SM{i:02d}" + "a" * 30)
        send(i + 1, sender, "1", f"SM{i:02d}" + "b" * 30)
    threads = []
    for i, sender in enumerate(senders):
        for n in range(5):
            # Each answer goes to a different worker at once; providers also retry one of them.
            # (words the risk check reads as none: "answer 3 from person 3" is asked "are you safe?")
            args = (i + n, sender, f"answer {n}, person {i}", f"SM{i:02d}{n:02d}" + "c" * 28)
            threads.append(threading.Thread(target=send, args=args))
            if n == 2:
                threads.append(threading.Thread(target=send, args=(i + n + 1, *args[1:])))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with pg_db.session() as s:
        answers = s.scalars(select(Answer)).all()
        links = s.scalars(select(SenderLink)).all()
    assert len(answers) == len(senders) * 5  # nothing lost, the retry not duplicated
    by_conversation: dict[str, list[Answer]] = {}
    for a in answers:
        by_conversation.setdefault(a.conversation_id, []).append(a)
    assert len(by_conversation) == len(senders)  # one conversation per person, none split
    for rows in by_conversation.values():
        assert sorted(a.question_id for a in rows) == sorted(QUESTIONS)  # each question once
        person = {a.text.rsplit(" ", 1)[-1] for a in rows}
        assert len(person) == 1  # no answer landed in someone else's conversation
    assert len(links) == len(senders)
