"""The discovery page: candidate themes from answers no theme fits, and the three things staff do
with one (add as a theme, merge into a theme, dismiss), all as plain forms, all audited."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from review.themes_staff.discovery import compute
from review.themes_staff.engine import ThemeEngine
from storage.models import Answer, AuditEvent, ThemeCoding, ThemeDismissed
from tests.review.conftest import ReviewEnv
from tests.themes.conftest import add_answers
from tests.themes.test_pages import BOOK

DENTIST = [
    "I waited two years for a dentist",
    "no dentist would take me on in the new town",
    "my teeth hurt and the dentist list was closed",
    "never saw a dentist while I was in care",
    "the dentist appointment got cancelled when I moved",
]
BUSES = [
    "there is no bus to my college from the village",
    "the bus stops running at six so I cannot get home",
    "the buses in the evening are too rare to get to work",
    "I missed the last bus home from the contact centre",
]


def post(env: ReviewEnv, data: dict[str, Any]) -> Any:
    csrf = env.csrf("/review/themes")
    return env.client.post(
        "/review/themes/discover", data={"csrf": csrf, **data}, follow_redirects=False
    )


def groups_page(env: ReviewEnv, want: int = 1) -> str:
    """The page once the background grouping has made ``want`` groups or more."""
    deadline = time.monotonic() + 90
    while True:
        page = env.client.get("/review/themes/discover").text
        if "reload the page" not in page and len(re.findall(r"<h2[^>]*>Group \d", page)) >= want:
            return page
        assert time.monotonic() < deadline, page[-3000:]
        time.sleep(0.3)


def form_of(page: str, n: int, action: str) -> dict[str, Any]:
    """The hidden fields of group ``n``'s ``action`` form."""
    section = page.split(f'id="group-{n}-title"')[1].split("</section>")[0]
    form = next(f for f in section.split("<form")[1:] if f'name="do" value="{action}"' in f)
    group = re.findall(r'name="group" value="([0-9a-f]+)"', form)[0]
    return {
        "group": group,
        "do": action,
        "answer": re.findall(r'name="answer" value="(\d+)"', form),
    }


def audit(env: ReviewEnv) -> list[tuple[str, str]]:
    with env.parts.db.session() as s:
        return [(a.action, a.detail) for a in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def grouped(env: ReviewEnv) -> ReviewEnv:
    env.sign_in("reviewer")
    assert post(env, {"do": "again"}).status_code == 303  # nothing to group yet: no harm
    csrf = env.csrf("/review/themes")
    env.client.post("/review/themes", data={"csrf": csrf, "action": "import", "yaml": BOOK})
    add_answers(env.parts.db, {"dentist": DENTIST, "buses": BUSES})
    ThemeEngine(env.parts.db).refresh()
    return env


def test_only_reviewers_and_admins_discover(env: ReviewEnv) -> None:
    env.sign_in("safeguarding")
    assert env.client.get("/review/themes/discover").status_code == 403
    csrf = env.csrf("/review")
    r = env.client.post("/review/themes/discover", data={"csrf": csrf, "do": "again"})
    assert r.status_code == 403
    env.sign_in("admin")
    page = env.client.get("/review/themes").text
    assert 'href="/review/themes/discover"' in page  # linked from the theme pages
    assert env.client.get("/review/themes/discover").status_code == 200
    r = env.client.post("/review/themes/discover", data={"csrf": "wrong", "do": "again"})
    assert r.status_code == 403 and "expired" in r.text


def test_groups_show_words_and_typical_answers_then_add_a_theme(grouped: ReviewEnv) -> None:
    env = grouped
    page = groups_page(env, 2)
    assert "dentist" in page and "bus" in page
    dentist = 1 if "Group 1: dentist" in page else 2
    assert re.search(r"5 answers\. The most typical", page)
    assert 'value="dentist' in page  # the proposed id starts from the distinctive words
    form = form_of(page, dentist, "add")
    assert len(form["answer"]) == 5
    r = post(env, {**form, "id": "Bad id", "name": "Dentists", "examples": "yes"})
    assert r.status_code == 400 and "lower case" in r.text and 'value="Bad id"' in r.text
    r = post(
        env,
        {
            **form,
            "id": "dentists",
            "name": "Dentists",
            "description": "Dentists and teeth.",
            "examples": "yes",
        },
    )
    assert r.status_code == 303 and r.headers["location"].endswith("done=added")
    after = env.client.get(r.headers["location"]).text
    assert "The new theme is in the codebook." in after
    assert "dentist appointment" not in after  # that group is gone at once
    with env.parts.db.session() as s:
        coded = set(
            s.scalars(select(ThemeCoding.answer_id).where(ThemeCoding.theme_id == "dentists"))
        )
    assert len(coded) == 5
    assert "Dentists" in env.client.get("/review/themes").text
    actions = audit(env)
    assert any(a == "theme_discovery_add" and "theme=dentists" in d for a, d in actions)
    assert sum(a == "theme_coded" for a, _ in actions) == 5
    assert all("teeth" not in d and "waited" not in d for _, d in actions)  # never answer text


def test_merge_records_the_shown_answers_as_examples(grouped: ReviewEnv) -> None:
    env = grouped
    page = groups_page(env, 2)
    buses = 1 if "Group 1: bus" in page else 2
    form = form_of(page, buses, "merge")
    r = post(env, {**form, "into": "no_such_theme"})
    assert r.status_code == 400
    r = post(env, {**form, "into": "money", "answer": [*form["answer"], "999999"]})
    assert r.status_code == 303
    with env.parts.db.session() as s:
        texts = set(
            s.scalars(
                select(Answer.text)
                .join(ThemeCoding, ThemeCoding.answer_id == Answer.id)
                .where(ThemeCoding.theme_id == "money")
            )
        )
    assert texts == set(BUSES)  # the posted id from outside the group was ignored
    assert any(a == "theme_discovery_merge" and "theme=money" in d for a, d in audit(env))


def test_dismissed_groups_stay_dismissed(grouped: ReviewEnv) -> None:
    env = grouped
    page = groups_page(env, 2)
    dentist = 1 if "Group 1: dentist" in page else 2
    r = post(env, form_of(page, dentist, "dismiss"))
    assert r.status_code == 303
    with env.parts.db.session() as s:
        dismissed = set(s.scalars(select(Answer.text).join(ThemeDismissed)))
    assert dismissed == set(DENTIST)
    assert any(a == "theme_discovery_dismiss" and "answers=5" in d for a, d in audit(env))
    # Any later grouping leaves them out: one straight from the database (as a new app would) ...
    with env.parts.db.session() as s:
        ids = set(s.scalars(select(ThemeDismissed.answer_id)))
    fresh = compute(env.parts.db, None)
    assert fresh.groups and not ids & {m for g in fresh.groups for m in g.members}
    # ... and the page's, asked for again.
    assert post(env, {"do": "again"}).status_code == 303
    page = groups_page(env, 1)
    assert "dentist" not in page and "Group 1: bus" in page
    r = post(env, {**form_of(page, 1, "dismiss"), "group": "0" * 16})
    assert r.status_code == 409 and "changed since" in r.text


def test_a_form_from_an_earlier_grouping_still_finds_its_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from review.themes_staff import discovery

    first, second = (
        discovery.Group("a" * 16, 3, (1, 2, 3), ()),
        discovery.Group("b" * 16, 3, (4, 5, 6), ()),
    )
    made = iter(
        discovery.Grouping(key, datetime.now(UTC), 3, 0.0, (group,))
        for key, group in (("1", first), ("2", second))
    )
    monkeypatch.setattr(discovery, "compute", lambda db, model: next(made))
    found = discovery.Discovery(None, lambda: None, lambda: None)  # type: ignore[arg-type]
    for _ in range(2):
        found.request()
        found.wait()
    latest = found.latest()
    assert latest is not None and latest.groups == (second,)
    assert found.group(first.key) == first  # the page showing it was made before the second
    found.forget(first.key)
    assert found.group(first.key) is None and found.group(second.key) == second


def test_the_unfitted_query_looks_each_answer_up_by_its_key(env: ReviewEnv) -> None:
    """Through the queue index (rank first) it scanned every answer's best row for each answer:
    two minutes for 5,000 of 100,000 answers on SQLite, against 0.1 s by key."""
    from sqlalchemy import text

    from review.themes_staff.discovery import unfitted_query

    sql = str(
        unfitted_query(0, 10).compile(
            dialect=env.parts.db.engine.dialect, compile_kwargs={"literal_binds": True}
        )
    )
    with env.parts.db.session() as s:
        plan = " ".join(str(row) for row in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "theme_suggestions" in plan and "ix_theme_suggestions_queue" not in plan


def test_a_failed_grouping_keeps_the_last_one_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from review.themes_staff import discovery

    group = discovery.Group("c" * 16, 3, (1, 2, 3), ())
    results: list[Any] = [discovery.Grouping("1", datetime.now(UTC), 3, 0.0, (group,))]

    def compute(db: Any, model: Any) -> Any:
        if not results:
            raise RuntimeError("database gone")
        return results.pop()

    monkeypatch.setattr(discovery, "compute", compute)
    found = discovery.Discovery(None, lambda: None, lambda: None)  # type: ignore[arg-type]
    found.request()
    found.wait()
    assert not found.failed
    found.request()
    found.wait()
    latest = found.latest()
    assert found.failed and latest is not None and latest.groups == (group,)
