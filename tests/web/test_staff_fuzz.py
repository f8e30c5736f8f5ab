"""The back office fuzzed with a logged-in session and a valid CSRF token: Hypothesis draws
requests to every staff page and form (queue filters, meeting actions with their fields, the
organisation picker, compliance, accounts, audit, log-in), with values valid, nearly valid
(unknown enum values, bad dates and ids, other authorities' meetings) or random text of any size
and alphabet. No answer is a 5xx; a refusal is an HTML error page for a browser and problem
details otherwise.

Cases are drawn first (derandomized, `REGISTER_FUZZ_EXAMPLES` of them, see
`tests.fuzz.examples`) and then sent in the test's own event loop, as the API's schemathesis
test does.
"""

from typing import Any, NamedTuple
from uuid import UUID, uuid4

import httpx
from hypothesis import given
from hypothesis import strategies as st
from piccolo.engine.base import Engine

from register.store.repositories.staff import list_staff_users
from tests.fuzz.examples import examples, fuzz_settings
from tests.web.staff import StaffWorld, form_token, log_in, store_staff_world

CASES = 120
"""Requests per engine in the default run."""


class Case(NamedTuple):
    method: str
    path: str
    fields: dict[str, Any]
    html: bool


_ENUMS = {
    "state": ["draft", "ready", "published", "corrected", "withdrawn"],
    "reason": ["late", "changed", "cancelled", "incomplete", "to_review"],
    "kind": ["interest_representative", "institutional", "internal", "private", "unknown"],
    "legal_ground": ["national_defence", "public_security", "privacy", ""],
    "intent": ["save", "publish", "correct"],
    "format": ["in_person", "video", "phone"],
    "initiative": ["official", "representative", "joint", "unknown"],
    "policy_area": ["urbanisme", "mobilites", "eau"],
    "role": ["administrator", "editor", "official"],
    "active": ["0", "1"],
}

texts = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.sampled_from(["", " ", "0", "-1", "99999999999", "null", "<script>", "' OR 1=1 --"]),
    st.sampled_from(["2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "2026-03-10"]),
    st.sampled_from(["\u0000", "\ud7ff", "é" * 5000, "x" * 20_000]),
)


def values(world: StaffWorld) -> dict[str, st.SearchStrategy[str]]:
    ids = [world.own_meeting.id, world.other_meeting.id, world.own.owner.id, world.other.owner.id]
    ids += [world.own.representative.id, world.own.authority.id, uuid4()]
    some_id = st.sampled_from([str(value) for value in ids])
    found: dict[str, st.SearchStrategy[str]] = {
        name: st.sampled_from(options) | texts for name, options in _ENUMS.items()
    }
    for name in ("official", "officials_present", "authorities", "rep_org_0", "entity"):
        found[name] = some_id | texts
    for name in ("since", "until"):
        found[name] = st.dates().map(str) | texts
    for name in ("page", "lock_version"):
        found[name] = st.integers(-5, 10**12).map(str) | texts
    return found


FIELDS = {
    "/staff/": ["official", "state", "reason", "since", "until", "page"],
    "/staff/compliance": ["since", "until"],
    "/staff/organisations": ["q"],
    "/staff/users": ["username", "full_name", "email", "role", "authorities", "official"],
    "/staff/audit": ["entity", "actor", "page"],
    "/staff/login": ["username", "password", "next"],
    "meeting": ["done"],
    "record": [
        *("intent", "lock_version", "subject", "policy_area", "format", "initiative"),
        *("documents", "reason", "officials_present", "other_role_0", "other_name_0"),
        *("rep_org_0", "rep_people_0", "other_role_39", "rep_org_40"),
    ],
    "publish": ["lock_version"],
    "withdraw": ["lock_version", "reason", "legal_ground"],
    "classification": ["lock_version", "kind"],
    "exemption": ["lock_version", "legal_ground"],
    "password": [],
    "active": ["active"],
}
GETS = ["/staff/", "/staff/compliance", "/staff/organisations", "/staff/users", "/staff/audit"]
GETS += ["/staff/login", "meeting"]
MEETING_POSTS = ["record", "publish", "withdraw", "classification", "exemption"]


def cases(world: StaffWorld, accounts: list[UUID]) -> st.SearchStrategy[Case]:
    by_name = values(world)
    meetings = [str(world.own_meeting.id), str(world.other_meeting.id), str(uuid4())]

    @st.composite
    def case(draw: st.DrawFn) -> Case:
        method = draw(st.sampled_from(["GET", "POST", "POST"]))
        if method == "GET":
            kind = draw(st.sampled_from(GETS))
            path = (
                f"/staff/meetings/{draw(st.sampled_from(meetings))}" if kind == "meeting" else kind
            )
        else:
            kind = draw(st.sampled_from([*MEETING_POSTS, "/staff/users", "password", "active"]))
            if kind in MEETING_POSTS:
                path = f"/staff/meetings/{draw(st.sampled_from(meetings))}/{kind}"
            elif kind == "/staff/users":
                path = kind
            else:
                account = draw(st.sampled_from([str(a) for a in accounts] + [str(uuid4())]))
                path = f"/staff/users/{account}/{kind}"
        names = FIELDS[kind]
        chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        fields = {name: draw(by_name.get(name, texts)) for name in chosen}
        extra = draw(st.dictionaries(st.text(max_size=12), texts, max_size=2))
        return Case(method, path, {**extra, **fields}, draw(st.booleans()))

    return case()


def drawn(strategy: st.SearchStrategy[Case], count: int) -> list[Case]:
    found: list[Case] = []

    @fuzz_settings(count)
    @given(strategy)
    def collect(case: Case) -> None:
        found.append(case)

    collect()
    return found


async def send(client: httpx.AsyncClient, case: Case, token: str) -> httpx.Response:
    headers = {"accept": "text/html" if case.html else "application/json"}
    if case.method == "GET":
        return await client.get(case.path, params=case.fields, headers=headers)
    return await client.post(case.path, data={**case.fields, "_csrf_token": token}, headers=headers)


def refusal_problem(case: Case, answer: httpx.Response) -> str | None:
    """What is wrong with an answer, or None."""
    kind = answer.headers.get("content-type", "")
    if answer.status_code >= 500:
        return f"{answer.status_code}: {answer.text[:300]}"
    if answer.status_code >= 400 and answer.status_code != 401:
        wanted = "text/html" if case.html else "application/problem+json"
        if not kind.startswith(wanted) and not kind.startswith("text/html"):
            return f"{answer.status_code} answered as {kind!r}"
        if kind.startswith("application/problem+json") and not answer.json().get("detail"):
            return f"{answer.status_code} without a detail"
    return None


async def test_no_staff_request_gets_a_server_error(client: httpx.AsyncClient, db: Engine) -> None:
    world = await store_staff_world()
    await log_in(client, "admin")
    token = await form_token(client, "/staff/")
    # Every account but the administrator's own: disabling it would end the session.
    accounts = [user.id for user, _ in await list_staff_users() if user.username != "admin"]
    generated = drawn(cases(world, accounts), examples(CASES))
    meeting = f"/staff/meetings/{world.own_meeting.id}/record"
    found_before = [  # the 500s this test found, now refusals
        Case("GET", "/staff/compliance", {"until": "9999-12-31"}, False),
        Case("GET", "/staff/", {"since": "0001-01-01"}, True),
        Case("POST", meeting, {"subject": "a\u0000b", "lock_version": "0"}, False),
    ]
    for case in found_before:
        answer = await send(client, case, token)
        assert answer.status_code == 400, (case, answer.text[:300])

    failures = []
    statuses: set[int] = set()
    for case in generated:
        answer = await send(client, case, token)
        statuses.add(answer.status_code)
        wrong = refusal_problem(case, answer)
        if wrong:
            failures.append(f"{case.method} {case.path} {case.fields!r:.300} → {wrong}")

    assert not failures, "\n".join(failures[:10])
    assert len(generated) >= examples(CASES)
    assert {200, 400} <= statuses
    assert any(400 <= status < 500 and status != 400 for status in statuses)
