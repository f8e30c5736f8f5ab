"""The back office's rules: who may do what, and when log-ins are slowed down."""

from datetime import UTC, datetime, timedelta

import pytest

from register.domain.access import LoginThrottle, Permission, may
from register.domain.kinds import StaffRole
from register.domain.staff import StaffUser
from register.store.ids import new_id

OWN, OTHER = new_id(), new_id()
MAYOR, DEPUTY = new_id(), new_id()
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def _user(role: StaffRole, **overrides: object) -> StaffUser:
    values: dict[str, object] = {
        "id": new_id(),
        "username": f"{role.value}-user",
        "role": role,
        "authority_ids": () if role is StaffRole.ADMINISTRATOR else (OWN,),
        "official_id": MAYOR if role is StaffRole.OFFICIAL else None,
    }
    return StaffUser.model_validate(values | overrides)


@pytest.mark.parametrize("permission", list(Permission))
def test_an_administrator_may_do_everything_everywhere(permission: Permission) -> None:
    admin = _user(StaffRole.ADMINISTRATOR)

    assert may(admin, permission, authority_id=OTHER, official_id=DEPUTY)


@pytest.mark.parametrize(
    ("permission", "own", "other"),
    [
        (Permission.VIEW_MEETINGS, True, False),
        (Permission.EDIT_MEETINGS, True, False),
        (Permission.PUBLISH, True, False),
        (Permission.VIEW_COMPLIANCE, True, False),
        (Permission.VIEW_AUDIT, False, False),
        (Permission.MANAGE_USERS, False, False),
    ],
)
def test_an_editor_acts_only_for_their_authorities(
    permission: Permission, own: bool, other: bool
) -> None:
    editor = _user(StaffRole.EDITOR)

    assert may(editor, permission, authority_id=OWN, official_id=DEPUTY) is own
    assert may(editor, permission, authority_id=OTHER, official_id=DEPUTY) is other


def test_an_official_reads_only_their_own_diary_and_changes_nothing() -> None:
    official = _user(StaffRole.OFFICIAL)

    assert may(official, Permission.VIEW_MEETINGS, authority_id=OWN, official_id=MAYOR)
    assert not may(official, Permission.VIEW_MEETINGS, authority_id=OWN, official_id=DEPUTY)
    assert not may(official, Permission.VIEW_MEETINGS, authority_id=OTHER, official_id=MAYOR)
    assert may(official, Permission.VIEW_COMPLIANCE, authority_id=OWN)
    assert not may(official, Permission.EDIT_MEETINGS, authority_id=OWN, official_id=MAYOR)
    assert not may(official, Permission.PUBLISH, authority_id=OWN, official_id=MAYOR)


def test_a_disabled_account_may_do_nothing() -> None:
    admin = _user(StaffRole.ADMINISTRATOR, active=False)

    assert not any(may(admin, permission, authority_id=OWN) for permission in Permission)


def test_authority_scoped_permissions_need_an_authority() -> None:
    assert not may(_user(StaffRole.EDITOR), Permission.PUBLISH)


def test_log_ins_are_slowed_down_after_five_failures_for_one_name() -> None:
    throttle = LoginThrottle()
    failures = [NOW - timedelta(minutes=minutes) for minutes in (14, 10, 6, 3, 1)]

    four = throttle.retry_after(username_failures=failures[1:], client_failures=[], now=NOW)
    five = throttle.retry_after(username_failures=failures, client_failures=[], now=NOW)

    assert four is None
    # The oldest failure that counts (14 minutes ago) leaves the 15-minute window in a minute.
    assert five == 61


def test_old_failures_do_not_count() -> None:
    throttle = LoginThrottle()
    old = [NOW - timedelta(minutes=20 + n) for n in range(10)]

    assert throttle.retry_after(username_failures=old, client_failures=old, now=NOW) is None


def test_many_names_tried_from_one_address_are_slowed_down_too() -> None:
    throttle = LoginThrottle()
    from_client = [NOW - timedelta(seconds=30 * n) for n in range(20)]

    wait = throttle.retry_after(username_failures=[], client_failures=from_client, now=NOW)

    assert wait is not None
    assert 0 < wait <= 15 * 60
