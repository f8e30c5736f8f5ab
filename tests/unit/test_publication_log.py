"""The publication log: an append-only hash chain that anyone can verify."""

import hashlib
import itertools
import json
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest

from register.domain.kinds import LogAction
from register.domain.publication_log import (
    GENESIS_HASH,
    ChainVerifier,
    LogEntry,
    canonical_json,
    entry_hash,
    make_entry,
    verify_chain,
)

MEETING_A = UUID("6f1c2d3e-4b5a-4c6d-8e7f-000000000001")
MEETING_B = UUID("6f1c2d3e-4b5a-4c6d-8e7f-000000000002")
FIRST_AT = datetime(2025, 3, 4, 10, 15, tzinfo=UTC)

CONTENT_MISMATCH = "The entry's content does not match its hash."
LINK_MISMATCH = "The link to the previous entry does not match."
COLUMNS_MISMATCH = "The entry's columns do not match its hashed content."


def expected_seq(expected: int, found: int) -> str:
    return f"Expected entry {expected}, found entry {found}."


def chain() -> list[LogEntry]:
    """Four entries: A published, B published, A corrected, B withdrawn."""
    steps = [
        (MEETING_A, 1, LogAction.PUBLISH, {"subject": "Révision du PLU, secteur gare"}),
        (MEETING_B, 1, LogAction.PUBLISH, {"subject": "Tarification de l'eau potable"}),
        (MEETING_A, 2, LogAction.CORRECT, {"subject": "Révision du PLU, secteur nord"}),
        (MEETING_B, 2, LogAction.WITHDRAW, {"reason": "Publiée par erreur"}),
    ]
    entries: list[LogEntry] = []
    for index, (meeting_id, version, action, payload) in enumerate(steps):
        entries.append(
            make_entry(
                entries[-1] if entries else None,
                meeting_id=meeting_id,
                version=version,
                action=action,
                recorded_at=FIRST_AT + timedelta(hours=index),
                payload=payload,
            )
        )
    return entries


def problems(entries: list[LogEntry]) -> list[tuple[int, str]]:
    return [(problem.seq, problem.message.en) for problem in verify_chain(entries)]


def replaced(entries: list[LogEntry], index: int, **changes: object) -> list[LogEntry]:
    tampered = list(entries)
    tampered[index] = entries[index].model_copy(update=changes)
    return tampered


# --- building the chain ----------------------------------------------------------------


def test_genesis_hash_is_sixty_four_zeros() -> None:
    assert GENESIS_HASH == "0000000000000000000000000000000000000000000000000000000000000000"


def test_first_entry_links_to_genesis_and_has_seq_one() -> None:
    first = chain()[0]

    assert first.seq == 1
    assert first.previous_hash == GENESIS_HASH
    assert first.meeting_id == MEETING_A
    assert first.version == 1
    assert first.action is LogAction.PUBLISH
    assert first.recorded_at == FIRST_AT


def test_entry_body_is_canonical_json_of_its_columns_and_payload() -> None:
    first = chain()[0]

    assert first.body == (
        '{"action":"publish","meeting_id":"6f1c2d3e-4b5a-4c6d-8e7f-000000000001",'
        '"payload":{"subject":"Révision du PLU, secteur gare"},'
        '"recorded_at":"2025-03-04T10:15:00+00:00","seq":1,"version":1}'
    )


def test_each_entry_follows_the_previous_one() -> None:
    entries = chain()

    assert [entry.seq for entry in entries] == [1, 2, 3, 4]
    for previous, entry in itertools.pairwise(entries):
        assert entry.previous_hash == previous.hash
    assert len({entry.hash for entry in entries}) == 4


def test_an_untouched_chain_verifies_without_problems() -> None:
    assert verify_chain(chain()) == []


def test_an_empty_log_verifies_without_problems() -> None:
    assert verify_chain([]) == []


def test_verification_accepts_a_stream_of_entries() -> None:
    assert verify_chain(iter(chain())) == []


def test_hash_can_be_recomputed_independently_with_sha256() -> None:
    previous = GENESIS_HASH
    for entry in chain():
        recomputed = hashlib.sha256(f"{previous}\n{entry.body}".encode()).hexdigest()
        assert entry.hash == recomputed
        assert len(entry.hash) == 64
        previous = entry.hash


def test_entry_hash_is_sha256_of_previous_hash_newline_body() -> None:
    assert entry_hash("abc", "{}") == hashlib.sha256(b"abc\n{}").hexdigest()


def test_body_keeps_recorded_at_offset_as_given() -> None:
    paris = timezone(timedelta(hours=1))
    entry = make_entry(
        None,
        meeting_id=MEETING_A,
        version=1,
        action=LogAction.PUBLISH,
        recorded_at=datetime(2025, 3, 4, 11, 15, tzinfo=paris),
        payload={},
    )

    assert json.loads(entry.body)["recorded_at"] == "2025-03-04T11:15:00+01:00"


def test_naive_recorded_at_is_refused() -> None:
    with pytest.raises(ValueError, match="recorded_at must be timezone-aware"):
        make_entry(
            None,
            meeting_id=MEETING_A,
            version=1,
            action=LogAction.PUBLISH,
            recorded_at=datetime(2025, 3, 4, 10, 15),
            payload={},
        )


# --- canonical JSON -----------------------------------------------------------------------


def test_canonical_json_sorts_keys_at_every_level_and_has_no_spaces() -> None:
    document = {"b": [1, {"z": True, "y": None}], "a": {"d": 2, "c": "x"}}

    assert canonical_json(document) == '{"a":{"c":"x","d":2},"b":[1,{"y":null,"z":true}]}'


def test_canonical_json_does_not_depend_on_key_order() -> None:
    one = {"subject": "Eau", "area": "eau", "people": ["A", "B"]}
    other = {"people": ["A", "B"], "area": "eau", "subject": "Eau"}

    assert canonical_json(one) == canonical_json(other)


def test_canonical_json_keeps_non_ascii_characters() -> None:
    text = canonical_json({"objet": "Déchets, propreté et énergie — « zéro carbone »"})

    assert text == '{"objet":"Déchets, propreté et énergie — « zéro carbone »"}'
    assert "\\u" not in text


def test_payload_key_order_does_not_change_the_hash() -> None:
    def entry(payload: dict[str, str]) -> LogEntry:
        return make_entry(
            None,
            meeting_id=MEETING_A,
            version=1,
            action=LogAction.PUBLISH,
            recorded_at=FIRST_AT,
            payload=payload,
        )

    assert entry({"a": "1", "b": "2"}).hash == entry({"b": "2", "a": "1"}).hash


# --- tampering ------------------------------------------------------------------------------


def test_rewritten_body_is_detected_at_its_entry() -> None:
    entries = chain()
    forged = entries[1].body.replace("eau potable", "eau minérale")
    assert forged != entries[1].body

    assert problems(replaced(entries, 1, body=forged)) == [(2, CONTENT_MISMATCH)]


def test_rewritten_hash_is_detected_at_its_entry_and_breaks_the_next_link() -> None:
    entries = chain()

    assert problems(replaced(entries, 1, hash="f" * 64)) == [
        (2, CONTENT_MISMATCH),
        (3, LINK_MISMATCH),
    ]


def test_body_rewritten_with_a_recomputed_hash_breaks_the_next_link() -> None:
    entries = chain()
    forged = entries[1].body.replace("eau potable", "eau minérale")
    rehashed = entry_hash(entries[1].previous_hash, forged)

    assert problems(replaced(entries, 1, body=forged, hash=rehashed)) == [(3, LINK_MISMATCH)]


def test_rewritten_previous_hash_is_detected_at_its_entry() -> None:
    entries = chain()

    assert problems(replaced(entries, 2, previous_hash="a" * 64)) == [
        (3, LINK_MISMATCH),
        (3, CONTENT_MISMATCH),
    ]


def test_first_entry_not_linked_to_genesis_is_detected() -> None:
    entries = chain()
    first = entries[0]
    relinked = first.model_copy(
        update={"previous_hash": "1" * 64, "hash": entry_hash("1" * 64, first.body)}
    )

    assert problems([relinked, *entries[1:]]) == [(1, LINK_MISMATCH), (2, LINK_MISMATCH)]


def test_deleted_entry_leaves_a_gap_at_the_next_one() -> None:
    entries = chain()

    assert problems([entries[0], entries[2], entries[3]]) == [
        (3, expected_seq(2, 3)),
        (3, LINK_MISMATCH),
    ]


def test_deleted_first_entry_is_detected() -> None:
    entries = chain()

    assert problems(entries[1:]) == [(2, expected_seq(1, 2)), (2, LINK_MISMATCH)]


def test_reordered_entries_are_detected_at_each_misplaced_entry() -> None:
    entries = chain()

    assert problems([entries[0], entries[2], entries[1], entries[3]]) == [
        (3, expected_seq(2, 3)),
        (3, LINK_MISMATCH),
        (2, expected_seq(4, 2)),
        (2, LINK_MISMATCH),
        (4, expected_seq(3, 4)),
        (4, LINK_MISMATCH),
    ]


def test_duplicated_entry_is_detected() -> None:
    entries = chain()

    assert problems([entries[0], entries[1], entries[1], entries[2], entries[3]]) == [
        (2, expected_seq(3, 2)),
        (2, LINK_MISMATCH),
    ]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("version", 7),
        ("meeting_id", MEETING_B),
        ("action", LogAction.WITHDRAW),
    ],
)
def test_column_not_matching_the_hashed_body_is_detected(column: str, value: object) -> None:
    entries = chain()

    assert problems(replaced(entries, 2, **{column: value})) == [(3, COLUMNS_MISMATCH)]


def test_seq_column_not_matching_the_hashed_body_is_detected() -> None:
    entries = chain()

    assert problems(replaced(entries, 1, seq=5)) == [
        (5, expected_seq(2, 5)),
        (5, COLUMNS_MISMATCH),
        (3, expected_seq(6, 3)),
    ]


def test_recorded_at_column_not_matching_the_hashed_body_is_detected() -> None:
    """Bug: verify_chain never compares the recorded_at column with the hashed body."""
    entries = chain()
    backdated = entries[2].recorded_at - timedelta(days=30)

    assert problems(replaced(entries, 2, recorded_at=backdated)) == [(3, COLUMNS_MISMATCH)]


def test_recorded_at_column_in_another_offset_for_the_same_instant_is_not_a_problem() -> None:
    entries = chain()
    same_instant = entries[2].recorded_at.astimezone(timezone(timedelta(hours=2)))

    assert problems(replaced(entries, 2, recorded_at=same_instant)) == []


def test_body_that_is_not_json_is_a_column_mismatch_even_with_a_matching_hash() -> None:
    entries = chain()
    garbage = "not json at all"
    rehashed = entry_hash(entries[3].previous_hash, garbage)

    assert problems(replaced(entries, 3, body=garbage, hash=rehashed)) == [(4, COLUMNS_MISMATCH)]


def test_problems_are_reported_in_both_languages() -> None:
    entries = chain()

    found = verify_chain([entries[0], entries[2], entries[3]])

    assert [(p.seq, p.message.fr) for p in found] == [
        (3, "Entrée 2 attendue, entrée 3 trouvée."),
        (3, "Le lien vers l'entrée précédente ne correspond pas."),
    ]


def test_chain_verifier_fed_one_entry_at_a_time_reports_each_entrys_problems() -> None:
    entries = chain()
    verifier = ChainVerifier()

    found = [verifier.feed(entry) for entry in [entries[0], entries[2], entries[3]]]

    assert [[(p.seq, p.message.en) for p in problems] for problems in found] == [
        [],
        [(3, expected_seq(2, 3)), (3, LINK_MISMATCH)],
        [],
    ]
    assert verifier.checked == 3
