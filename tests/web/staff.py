"""A back office to test against: two authorities, a meeting waiting in each, and an account
of every role. `log_in` goes through the real log-in form, CSRF token included."""

import re
from functools import cache
from typing import NamedTuple

import httpx

from register.domain.kinds import OfficialKind, StaffRole
from register.domain.meeting import Meeting
from register.domain.staff import StaffUser
from register.services.accounts import hash_password
from register.store.ids import new_id
from register.store.repositories import authorities, officials, representatives
from register.store.repositories.meetings import add_meeting
from register.store.repositories.staff import add_staff_user
from tests import factories
from tests.stored import StoredRegister, store_register

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


class StaffWorld(NamedTuple):
    own: StoredRegister
    other: StoredRegister
    own_meeting: Meeting
    other_meeting: Meeting


async def store_staff_world() -> StaffWorld:
    """ "ville-test" (the accounts' own authority) and "autre-ville", each with one meeting with
    an interest representative waiting to be completed; accounts admin, editor, official
    (ville-test's mayor) and colleague (an official account for the director of cabinet)."""
    own = await store_register()
    other_authority = factories.authority(slug="autre-ville", name="Autre-Ville")
    await authorities.save_authority(other_authority)
    other_owner = factories.official(other_authority.id, slug="luc-martin", full_name="Luc Martin")
    other_colleague = factories.official(
        other_authority.id,
        slug="eve-roux",
        full_name="Ève Roux",
        kind=OfficialKind.STAFF,
        role="Directrice de cabinet",
    )
    for official in (other_owner, other_colleague):
        await officials.save_official(official)
    other_rep = factories.representative(
        name="Union des promoteurs",
        hatvp_id="H999",
        siren="123456789",
        email_domains=("up.example",),
    )
    await representatives.save_representative(other_rep)
    other = StoredRegister(other_authority, other_owner, other_colleague, other_rep)
    own_meeting = await add_meeting(
        factories.meeting(
            own.authority.id,
            own.owner.id,
            classification=factories.interest_classification(own.representative),
        )
    )
    other_meeting = await add_meeting(
        factories.meeting(
            other.authority.id,
            other.owner.id,
            classification=factories.interest_classification(other.representative),
        )
    )
    accounts = (
        ("admin", StaffRole.ADMINISTRATOR, (), None),
        ("editor", StaffRole.EDITOR, (own.authority.id,), None),
        ("official", StaffRole.OFFICIAL, (own.authority.id,), own.owner.id),
        ("colleague", StaffRole.OFFICIAL, (own.authority.id,), own.colleague.id),
    )
    for username, role, authority_ids, official_id in accounts:
        user = StaffUser(
            id=new_id(),
            username=username,
            role=role,
            authority_ids=authority_ids,
            official_id=official_id,
        )
        await add_staff_user(user, _password_hash())
    return StaffWorld(own, other, own_meeting, other_meeting)


@cache
def _password_hash() -> str:
    """One real argon2id hash of PASSWORD for every test account (hashing costs ~0.1 s)."""
    return hash_password(PASSWORD)


def csrf_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


async def form_token(client: httpx.AsyncClient, path: str) -> str:
    """The CSRF token of a page's forms (fetching it sets the CSRF cookie if needed)."""
    page = await client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 200, page.text[:300]
    return csrf_token(page.text)


async def log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> None:
    token = await form_token(client, "/staff/login")
    answer = await client.post(
        "/staff/login",
        data={"username": username, "password": password, "_csrf_token": token},
        headers={"accept": "text/html"},
    )
    assert answer.status_code == 303, answer.text[:500]
