"""Every /review route refuses anonymous and under-privileged users; forms need a CSRF token."""

from __future__ import annotations

import pytest
from starlette.routing import Route

from review.auth import PERMISSIONS
from tests.review.conftest import ReviewEnv

PUBLIC = {"/review/login"}


def review_routes(env: ReviewEnv) -> list[tuple[str, str]]:
    out = []
    for route in env.client.app.routes:  # type: ignore[attr-defined]
        if (
            isinstance(route, Route)
            and route.path.startswith("/review")
            and route.path not in PUBLIC
        ):
            path = (
                route.path.replace("{cid}", "x")
                .replace("{aid:int}", "1")
                .replace("{fid:int}", "1")
                .replace("{uid:int}", "1")
                .replace("{action}", "disable")
                .replace("{qid}", "big_question")
            )
            out.extend((m, path) for m in sorted(route.methods or []) if m != "HEAD")
    return out


NEEDS = {
    "/review/safeguarding": "safeguarding",
    "/review/safeguarding/1": "safeguarding",
    "/review/export": "export",
    "/review/audit": "audit",
    "/review/audit.csv": "audit",
    "/review/users": "users",
    "/review/users/sign-out-everyone": "users",
    "/review/users/add": "users",
    "/review/users/1": "users",
    "/review/users/1/disable": "users",
    "/review/answers/1/unhide": "unhide",
}


def test_every_route_refuses_an_anonymous_user(env: ReviewEnv) -> None:
    routes = review_routes(env)
    assert len(routes) >= 14
    env.client.cookies.clear()
    for method, path in routes:
        r = env.client.request(method, path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/review/login", (method, path)


@pytest.mark.parametrize("role", ["reviewer", "safeguarding"])
def test_every_route_refuses_an_under_privileged_user(env: ReviewEnv, role: str) -> None:
    env.sign_in(role)
    for method, path in review_routes(env):
        needed = NEEDS.get(path)
        if needed is None or needed in PERMISSIONS[role]:
            continue
        r = env.client.request(method, path, data={"csrf": "x"}, follow_redirects=False)
        assert r.status_code == 403, (role, method, path)


def test_posts_without_the_csrf_token_are_refused(env: ReviewEnv) -> None:
    env.sign_in("admin")
    for method, path in review_routes(env):
        if method == "POST":
            r = env.client.post(path, data={}, follow_redirects=False)
            assert r.status_code == 403, path


def test_a_tampered_or_expired_session_is_refused(env: ReviewEnv) -> None:
    env.sign_in("admin")
    cookie = env.client.cookies.get("speakup_staff")
    assert cookie
    env.client.cookies.set("speakup_staff", cookie[:-2] + "00", path="/review")
    assert env.client.get("/review", follow_redirects=False).status_code == 303
    signer = env.client.app.routes  # keep mypy quiet about unused
    assert signer


def test_wrong_codes_fail_and_sign_in_is_rate_limited(env: ReviewEnv) -> None:
    s = env.staff["reviewer"]
    env.client.cookies.clear()
    for _ in range(5):
        r = env.client.post(
            "/review/login", data={"email": s.email, "password": s.password, "code": "000000"}
        )
        assert r.status_code == 401
    r = env.client.post(
        "/review/login", data={"email": s.email, "password": s.password, "code": s.code()}
    )
    assert r.status_code == 429 and "Too many attempts" in r.text


def test_a_disabled_account_cannot_sign_in(env: ReviewEnv) -> None:
    from datetime import UTC, datetime

    from review.staff import disable_staff

    with env.parts.db.session() as s:
        assert disable_staff(s, env.staff["reviewer"].email, datetime.now(UTC))
    s_ = env.staff["reviewer"]
    r = env.client.post(
        "/review/login", data={"email": s_.email, "password": s_.password, "code": s_.code()}
    )
    assert r.status_code == 401


def test_session_cookie_is_scoped_and_strict(env: ReviewEnv) -> None:
    s = env.staff["reviewer"]
    r = env.client.post(
        "/review/login",
        data={"email": s.email, "password": s.password, "code": s.code()},
        follow_redirects=False,
    )
    header = r.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header and "path=/review" in header
