"""The register's tables. Only `register.store` imports this module.

Entities have UUID primary keys that are also their public identifiers (time-ordered, see
`register.store.ids`), so a public id never depends on a row number. Append-only records (the
publication log, the audit trail, sync runs) use serial keys that give their order.

Uniqueness over several columns is created by the migrations as unique indexes, which SQLite and
PostgreSQL both support (SQLite cannot add a table constraint after creation):
- meeting (source, source_uid, recurrence_id): one meeting per calendar occurrence;
- official (authority, slug); official_presence (meeting, official);
- representative_presence (meeting, representative); staff_membership (user, authority);
- publication_entry (meeting, version).
"""

from typing import Any

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Authority(Table):
    id = UUID(primary_key=True)
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=20)
    siren = Varchar(length=9, null=True, default=None)
    timezone = Varchar(length=64, default="Europe/Paris")
    website = Varchar(length=500, null=True, default=None)
    policy = JSON(default="{}")
    retention_days = Integer(
        null=True,
        default=None,
        help_text="Days after a never-published meeting's date before its private data is "
        "purged; none: the REGISTER_RETENTION_DAYS default.",
    )
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Official(Table):
    id = UUID(primary_key=True)
    authority = ForeignKey(Authority, on_delete=OnDelete.restrict, index=True)
    slug = Varchar(length=120)
    full_name = Varchar(length=200)
    kind = Varchar(length=20)
    role = Varchar(length=200)
    portfolio = Text(default="")
    mandate_start = Date(null=True, default=None)
    mandate_end = Date(null=True, default=None)
    in_scope = Boolean(default=True)
    email = Varchar(length=320, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CalendarSource(Table):
    id = UUID(primary_key=True)
    official = ForeignKey(Official, on_delete=OnDelete.restrict, index=True)
    kind = Varchar(length=20)
    url = Varchar(length=2000)
    username = Varchar(length=300, default="")
    credentials = Text(default="", help_text="Ciphertext only: never a clear password.")
    enabled = Boolean(default=True)
    sync_state = JSON(default="{}")
    last_success_at = Timestamptz(null=True, default=None)
    last_error_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    consecutive_failures = Integer(default=0)
    next_sync_at = Timestamptz(null=True, default=None, index=True)
    lease_owner = Varchar(length=200, null=True, default=None)
    lease_expires_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class InterestRepresentative(Table):
    id = UUID(primary_key=True)
    name = Varchar(length=300, index=True)
    aliases = JSON(default="[]")
    acronym = Varchar(length=40, null=True, default=None)
    hatvp_id = Varchar(length=40, null=True, default=None, unique=True)
    siren = Varchar(length=9, null=True, default=None, index=True)
    rna = Varchar(length=10, null=True, default=None)
    eu_transparency_id = Varchar(length=20, null=True, default=None, unique=True)
    email_domains = JSON(default="[]")
    website = Varchar(length=500, null=True, default=None)
    category = Varchar(length=200, default="")
    hatvp_registered = Boolean(default=False)
    merged_into: ForeignKey[Any] = ForeignKey(
        "self", null=True, default=None, on_delete=OnDelete.set_null
    )
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Meeting(Table):
    id = UUID(primary_key=True)
    authority = ForeignKey(Authority, on_delete=OnDelete.restrict, index=True)
    official = ForeignKey(Official, on_delete=OnDelete.restrict, index=True)
    # Where it came from: unique per source, so a resync updates instead of duplicating.
    source = ForeignKey(CalendarSource, null=True, default=None, on_delete=OnDelete.set_null)
    source_uid = Varchar(length=1000, default="")
    recurrence_id = Varchar(length=64, default="")
    source_href = Varchar(length=2000, default="", help_text="The calendar object it came from.")
    calendar_fingerprint = Varchar(
        length=64, default="", help_text="SHA-256 of the calendar-owned fields, to spot changes."
    )
    # When, in UTC, with the event's own zone kept.
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz(null=True, default=None)
    timezone = Varchar(length=64, default="Europe/Paris")
    all_day = Boolean(default=False)
    status = Varchar(length=20, default="confirmed")
    # The calendar's own text: staff only, follows the calendar on every resync.
    visibility = Varchar(length=20, default="public")
    summary = Text(default="")
    calendar = JSON(default="{}")
    calendar_changed_at = Timestamptz(null=True, default=None)
    # Classification.
    classification_kind = Varchar(length=40, default="unknown", index=True)
    classification_confidence = DoublePrecision(default=0.0)
    classification_reasons = JSON(default="[]")
    classification_representatives = JSON(default="[]")
    classification_decided_by = Varchar(length=10, default="rule")
    classified_at = Timestamptz(null=True, default=None)
    # The collegiality record: entered by staff, never overwritten by a resync.
    subject = Text(default="")
    policy_area = Varchar(length=60, null=True, default=None)
    format = Varchar(length=20, null=True, default=None)
    initiative = Varchar(length=20, null=True, default=None)
    other_attendees = JSON(default="[]")
    documents = JSON(default="[]")
    # Publication.
    publication_state = Varchar(length=20, default="draft", index=True)
    published_version = Integer(default=0)
    first_published_at = Timestamptz(null=True, default=None)
    exemption_ground = Varchar(length=40, null=True, default=None)
    purged_at = Timestamptz(
        null=True, default=None, help_text="When the retention policy purged its private data."
    )
    lock_version = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class OfficialPresence(Table):
    """Officials present at a meeting (collegiality), in the order staff listed them."""

    meeting = ForeignKey(Meeting, on_delete=OnDelete.cascade, index=True)
    official = ForeignKey(Official, on_delete=OnDelete.restrict, index=True)
    position = Integer(default=0)


class RepresentativePresence(Table):
    """Organisations present at a meeting, with the names of the people who represented them."""

    meeting = ForeignKey(Meeting, on_delete=OnDelete.cascade, index=True)
    representative = ForeignKey(InterestRepresentative, on_delete=OnDelete.restrict, index=True)
    people = JSON(default="[]")
    position = Integer(default=0)


class StaffUser(Table):
    id = UUID(primary_key=True)
    username = Varchar(length=80, unique=True)
    email = Varchar(length=320, default="")
    full_name = Varchar(length=200, default="")
    password_hash = Varchar(length=255, help_text="argon2id hash; never a clear password.")
    role = Varchar(length=20)
    official = ForeignKey(Official, null=True, default=None, on_delete=OnDelete.set_null)
    active = Boolean(default=True)
    password_changed_at = Timestamptz()
    must_change_password = Boolean(
        default=False, help_text="Set when an administrator resets the password."
    )
    last_login_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class StaffMembership(Table):
    """Which authorities an editor or official works for."""

    user = ForeignKey(StaffUser, on_delete=OnDelete.cascade, index=True)
    authority = ForeignKey(Authority, on_delete=OnDelete.cascade, index=True)


class StaffSession(Table):
    """A logged-in staff session. Only a SHA-256 of the cookie's random token is stored, so a
    copy of the database does not let anyone log in; logging out deletes the row."""

    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(StaffUser, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    client = Varchar(length=100, default="")


class LoginFailure(Table):
    """Failed log-ins, counted per user name and per client address to slow down guessing."""

    at = Timestamptz(index=True)
    username = Varchar(length=200, index=True)
    client = Varchar(length=100, index=True)


class PublicationEntry(Table):
    """The append-only, hash-chained publication log (see `register.domain.publication_log`)."""

    seq = Integer(unique=True)
    meeting = ForeignKey(Meeting, on_delete=OnDelete.restrict, index=True)
    version = Integer()
    action = Varchar(length=20)
    recorded_at = Timestamptz()
    body = Text()
    previous_hash = Varchar(length=64)
    hash = Varchar(length=64, unique=True)
    actor = ForeignKey(StaffUser, null=True, default=None, on_delete=OnDelete.set_null)


class PublicMeeting(Table):
    """The current public version of each published meeting, for the public register's search,
    filters, sorting and statistics.

    Written in the same transaction as each publication-log entry, from the same public payload
    (kept in `body`), so it holds nothing the log does not publish. Its id is the meeting's.
    """

    id = UUID(primary_key=True)
    authority = UUID(index=True)
    official = UUID(index=True)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz(null=True, default=None)
    policy_area = Varchar(length=60, null=True, default=None, index=True)
    format = Varchar(length=20, null=True, default=None)
    state = Varchar(length=20)
    status = Varchar(length=20)
    version = Integer()
    first_published_at = Timestamptz()
    published_at = Timestamptz(index=True)
    hatvp_registered = Boolean(default=False, help_text="At least one organisation is registered.")
    search_text = Text(default="", help_text="Subject, organisations and official, normalised.")
    body = Text(help_text="The public payload of the current version (canonical JSON).")
    log_seq = Integer()


class PublicMeetingOrganisation(Table):
    """Which organisations each public meeting names, for filters and statistics."""

    meeting = UUID(index=True)
    organisation = UUID(index=True)
    name = Varchar(length=300)
    hatvp_registered = Boolean(default=False)
    position = Integer(default=0)


class AuditEvent(Table):
    at = Timestamptz(index=True)
    user = ForeignKey(StaffUser, null=True, default=None, on_delete=OnDelete.set_null)
    actor = Varchar(length=200)
    action = Varchar(length=80)
    entity = Varchar(length=80)
    entity_id = Varchar(length=80, index=True)
    changes = JSON(default="{}")


class SyncRun(Table):
    source = ForeignKey(CalendarSource, on_delete=OnDelete.cascade, index=True)
    started_at = Timestamptz(index=True)
    finished_at = Timestamptz(null=True, default=None)
    status = Varchar(length=20, default="running")
    new_count = Integer(default=0)
    changed_count = Integer(default=0)
    cancelled_count = Integer(default=0)
    unchanged_count = Integer(default=0)
    failed_count = Integer(default=0)
    failures = JSON(default="[]")
    error = Text(default="")
    worker = Varchar(length=200, default="")


TABLES: tuple[type[Table], ...] = (
    Authority,
    Official,
    CalendarSource,
    InterestRepresentative,
    Meeting,
    OfficialPresence,
    RepresentativePresence,
    StaffUser,
    StaffMembership,
    StaffSession,
    LoginFailure,
    PublicationEntry,
    PublicMeeting,
    PublicMeetingOrganisation,
    AuditEvent,
    SyncRun,
)
