"""The three importers on their fixtures (tests/data/directory), on SQLite and PostgreSQL:
exact counts, idempotent second runs, malformed records reported where they are, and memory that
stays flat on a large HATVP file."""

import json
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from piccolo.engine.base import Engine

from register.domain.representative import InterestRepresentative
from register.services.imports import (
    ImportSummary,
    Problem,
    import_eu_register,
    import_hatvp,
    import_local_csv,
)
from register.services.imports.eu_register import xml_1_0
from register.services.imports.hatvp import publication_record
from register.services.imports.records import Candidate
from register.store.ids import new_id
from register.store.repositories import directory, representatives

DATA = Path(__file__).parent.parent / "data" / "directory"
HATVP = DATA / "hatvp_sample.json"
EU = DATA / "eu_register_sample.xml"
LOCAL = DATA / "local_organisations.csv"
TODAY = date(2025, 1, 1)

HATVP_SKIPPED = [
    Problem("publication 14", "no denomination"),
    Problem("publication 16", "no identifiantNational"),
    Problem("publication 23", "not a JSON object"),
]
HATVP_WARNINGS = [
    Problem("publication 17", "SIREN «91O234567» is not 9 digits: imported without it"),
    Problem("publication 18", "categorieOrganisation is not an object: category left empty"),
    Problem("publication 21", "dateCessation «31/02/2024» is not a date: counted as a departure"),
    Problem("publication 25", "typeIdentifiantNational «SIRET» is unknown: kept as HATVP id only"),
    Problem(
        "publication 30",
        "acronym «SOCIETE ANONYME D'HLM LES TOITS BLEUS DE L'ESTUAIRE» is not at most "
        "40 characters: imported without it",
    ),
]
EU_SKIPPED = [
    Problem(
        "record 6 (line 101)",
        "EU Transparency Register id «12345-6» is not digits, a dash and 2 digits",
    ),
    Problem("record 7 (line 108)", "no name"),
    Problem("record 8 (line 115)", "no identificationCode"),
]
EU_WARNINGS = [
    Problem(
        "record 10 (line 136)",
        "acronym «Conseil européen des entreprises de services environnementaux et urbains» "
        "is not at most 40 characters: imported without it",
    )
]
LOCAL_SKIPPED = [
    Problem("line 7", "no name"),
    Problem("line 10", "12 fields where the header has 10"),
]
LOCAL_WARNINGS = [
    Problem("line 6", "SIREN «1234» is not 9 digits: imported without it"),
    Problem("line 9", "e-mail domain «gmail.com» is a webmail, it identifies nobody: left out"),
    Problem("line 15", "e-mail domain «pas un domaine» is not a domain name: left out"),
]


def counts(summary: ImportSummary) -> tuple[int, int, int, int, int, int]:
    return (
        summary.read,
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.skipped_count,
        summary.warning_count,
    )


async def by_name() -> dict[str, InterestRepresentative]:
    return {rep.name: rep for rep in await representatives.list_representatives()}


async def test_hatvp_sample_imports_every_valid_publication(db: Engine) -> None:
    summary = await import_hatvp(HATVP, today=TODAY)

    assert counts(summary) == (30, 26, 1, 0, 3, 5)
    assert summary.skipped == HATVP_SKIPPED
    assert summary.warnings == HATVP_WARNINGS
    assert summary.failure is None
    assert len(await representatives.list_representatives()) == 26


async def test_hatvp_publications_become_registered_organisations(db: Engine) -> None:
    await import_hatvp(HATVP, today=TODAY)
    found = await by_name()

    eaux = found["SOCIETE DES EAUX DE LA VALLEE VERTE"]
    assert eaux.model_dump(exclude={"id"}) == {
        "name": "SOCIETE DES EAUX DE LA VALLEE VERTE",
        "aliases": ("Eaux de la Vallée Verte", "EAUX DE LA VALLEE VERTE SA"),
        "acronym": "EVV",
        "hatvp_id": "901234567",
        "siren": "901234567",
        "rna": None,
        "eu_transparency_id": None,
        "email_domains": ("eaux-vallee-verte.example",),
        "website": "https://www.eaux-vallee-verte.example",
        "category": "Société commerciale",
        "hatvp_registered": True,
        "merged_into_id": None,
    }
    velo = found["ASSOCIATION VELO EN VILLE"]
    assert (velo.hatvp_id, velo.rna, velo.siren, velo.email_domains) == (
        "W751234567",
        "W751234567",
        None,
        (),  # its contact address is a gmail one
    )
    fondation = found["FONDATION HABITAT SOLIDAIRE"]
    assert (fondation.hatvp_id, fondation.siren, fondation.rna) == ("H100000011", None, None)
    labo = found["LABORATOIRE D'ANALYSES DE L'EAU DE L'OUEST"]
    assert (labo.hatvp_id, labo.siren) == ("91O234567", None)
    assert found["TRANSPORTS URBAINS REUNIS"].siren == "909123456"
    assert found["ASSOCIATION JARDINS PARTAGES DE LA RIVE"].rna == "W352001234"
    assert found["PROMOTION IMMOBILIERE DU GRAND OUEST"].aliases == (
        "PIGO Immobilier",
        "GRAND OUEST PROMOTION",
    )
    # Ceased on 12/03/2025, after TODAY; on 05-09-2024; on an impossible date.
    assert found["COMPAGNIE DES PARKINGS DU CENTRE"].hatvp_registered is True
    assert found["ASSOCIATION DES AMIS DU TRAMWAY"].hatvp_registered is False
    assert found["ECO-EMBALLAGES DU VAL"].hatvp_registered is False
    assert found["ATELIER D'URBANISME PRIVE"].category == ""


async def test_hatvp_import_keeps_no_personal_data(db: Engine) -> None:
    await import_hatvp(HATVP, today=TODAY)

    stored = json.dumps(
        [rep.model_dump(mode="json") for rep in await representatives.list_representatives()]
    )
    for personal in ("FICTIF", "EXEMPLE", "Camille", "Dominique", "02 99 00", "RUE DES LICES"):
        assert personal not in stored
    assert "affaires.publiques" not in stored  # only the domain of the contact address


async def test_hatvp_second_run_changes_nothing(db: Engine) -> None:
    await import_hatvp(HATVP, today=TODAY)
    before = await representatives.list_representatives()

    again = await import_hatvp(HATVP, today=TODAY)

    assert counts(again) == (30, 0, 0, 27, 3, 5)
    assert again.skipped == HATVP_SKIPPED
    assert await representatives.list_representatives() == before


async def test_eu_register_sample(db: Engine) -> None:
    summary = await import_eu_register(EU)
    again = await import_eu_register(EU)
    found = await by_name()

    assert counts(summary) == (12, 9, 0, 0, 3, 1)
    assert summary.skipped == EU_SKIPPED
    assert summary.warnings == EU_WARNINGS
    assert counts(again) == (12, 0, 0, 9, 3, 1)
    eaux = found["Société des Eaux de la Vallée Verte SA"]
    assert (eaux.eu_transparency_id, eaux.acronym, eaux.category, eaux.hatvp_registered) == (
        "902134567812-55",
        "EVV",
        "Companies & groups",
        False,
    )
    # XML 1.1 control characters in the address are dropped, not fatal.
    assert found["Cités & Énergie"].website == "www.cites-energie.example"
    assert found["Association Vélo en Ville"].acronym is None
    assert found["Conseil européen des entreprises de services environnementaux"].acronym is None


async def test_local_csv_sample(db: Engine) -> None:
    summary = await import_local_csv(LOCAL)
    again = await import_local_csv(LOCAL)
    found = await by_name()

    assert counts(summary) == (13, 10, 1, 0, 2, 3)
    assert summary.skipped == LOCAL_SKIPPED
    assert summary.warnings == LOCAL_WARNINGS
    assert counts(again) == (13, 0, 0, 11, 2, 3)
    # Line 14 has no identifier: it updates line 4's organisation, matched by normalised name.
    comite = found["Comité des fêtes de Saint-Aubin"]
    assert comite.aliases == (
        "Comité de Saint-Aubin",
        "Fêtes de Saint-Aubin",
        "Comité des fêtes",
        "Saint-Aubin en fête",
    )
    assert comite.email_domains == ("comite-saint-aubin.example",)
    assert comite.category == "Association"
    lire = found['Association "Lire à Kerlann"']
    assert (lire.aliases, lire.rna, lire.category) == (
        ("Lire à Kerlann", "Bibliothèque associative"),
        "W291000222",
        "Association loi 1901",
    )
    regie = found["Régie des Transports de Kerlann"]
    assert (regie.siren, regie.acronym, regie.email_domains) == (
        "920123457",
        "RTK",
        ("rtk.example", "kerlann-mobilites.example"),
    )
    assert found["Boulangerie Le Fournil du Port"].siren == "919012346"
    assert found["Club de voile du Ponant"].siren is None
    assert found["Les Jardiniers de la Rive"].email_domains == ()
    assert found["Fédération européenne des distributeurs d'eau"].hatvp_registered is False


async def test_sources_meet_by_identifier_and_merges_hold(db: Engine) -> None:
    await import_hatvp(HATVP, today=TODAY)
    await import_eu_register(EU)
    local = await import_local_csv(LOCAL)

    # The water company (SIREN) and the European federation (EU id) are updated, not created.
    assert counts(local) == (13, 8, 3, 0, 2, 3)
    found = await by_name()
    assert len(found) == 26 + 9 + 8
    eaux = found["SOCIETE DES EAUX DE LA VALLEE VERTE"]
    assert eaux.aliases == ("Eaux de la Vallée Verte", "EAUX DE LA VALLEE VERTE SA")
    assert eaux.category == "Délégataire de service public"
    assert found["Fédération européenne des distributeurs d'eau"].email_domains == (
        "fede-eau.example",
    )
    groups = await directory.list_duplicates()
    assert [[rep.name for rep in group.representatives] for group in groups] == [
        ["ASSOCIATION VELO EN VILLE", "Association Vélo en Ville"],
        ["CABINET LEVIER & ASSOCIES", "Cabinet Levier & Associés"],
        ["SOCIETE DES EAUX DE LA VALLEE VERTE", "Société des Eaux de la Vallée Verte SA"],
    ]

    duplicate = found["Société des Eaux de la Vallée Verte SA"]
    await directory.merge(eaux.id, duplicate.id)
    again = await import_eu_register(EU)

    assert (again.created, again.updated, again.unchanged) == (0, 1, 8)
    kept = await representatives.get_representative(eaux.id)
    assert kept is not None
    assert (kept.eu_transparency_id, kept.siren, kept.category) == (
        "902134567812-55",
        "901234567",
        "Companies & groups",
    )
    assert len(await representatives.list_representatives()) == 26 + 9 + 8


async def test_record_without_identifier_and_an_ambiguous_name_is_skipped(
    db: Engine, tmp_path: Path
) -> None:
    for name in ("Comité des fêtes SA", "COMITE DES FETES"):
        await directory.upsert_representative(InterestRepresentative(id=new_id(), name=name))
    path = tmp_path / "local.csv"
    path.write_text("name,website\nComité des Fêtes,https://comite.example\n", encoding="utf-8")

    summary = await import_local_csv(path)

    assert counts(summary) == (1, 0, 0, 0, 1, 0)
    assert summary.skipped == [
        Problem(
            "line 2",
            "2 organisations are named «Comité des Fêtes» and the record has no identifier: "
            "merge them first",
        )
    ]


async def test_an_identifier_held_elsewhere_is_left_out(db: Engine, tmp_path: Path) -> None:
    water = InterestRepresentative(id=new_id(), name="Eaux du Val", siren="901234567")
    federation = InterestRepresentative(
        id=new_id(), name="Fédération de l'eau", eu_transparency_id="481516234200-17"
    )
    await directory.upsert_representatives([water, federation])
    path = tmp_path / "local.csv"
    path.write_text(
        "name,siren,eu_transparency_id,rna\nEaux du Val,901234567,481516234200-17,W291000111\n",
        encoding="utf-8",
    )

    summary = await import_local_csv(path)

    assert counts(summary) == (1, 0, 1, 0, 0, 1)
    assert summary.warnings == [
        Problem(
            "line 2",
            f"EU Transparency Register id 481516234200-17 is already held by organisation "
            f"{federation.id}: left out (see `register directory duplicates`)",
        )
    ]
    stored = await representatives.get_representative(water.id)
    assert stored is not None
    assert (stored.rna, stored.eu_transparency_id) == ("W291000111", None)


async def test_truncated_hatvp_file_keeps_what_was_read(db: Engine, tmp_path: Path) -> None:
    text = HATVP.read_text(encoding="utf-8")
    cut = tmp_path / "truncated.json"
    cut.write_text(text[: text.index('"denomination": "INSTITUT POUR LA VILLE DURABLE"')])

    summary = await import_hatvp(cut, today=TODAY)

    assert counts(summary) == (7, 7, 0, 0, 0, 0)
    assert summary.failure is not None
    assert summary.failure.startswith("the file is not valid JSON after publication 7: ")
    assert len(await representatives.list_representatives()) == 7


async def test_broken_xml_reports_its_line(db: Engine, tmp_path: Path) -> None:
    lines = EU.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "broken.xml"
    broken.write_text("".join([*lines[:80], "      <acronym>AUM</acronyme>\n", *lines[81:]]))

    summary = await import_eu_register(broken)

    assert counts(summary) == (3, 3, 0, 0, 0, 0)
    assert summary.failure == "the XML is broken at line 81, column 21: mismatched tag"


@pytest.mark.parametrize(
    ("importer", "content", "failure"),
    [
        (
            import_hatvp,
            "[1, 2, 3]",
            "no publication found: not the HATVP répertoire open-data JSON "
            "({'publications': [...]})",
        ),
        (
            import_eu_register,
            "<?xml version='1.0'?><register><entry/></register>",
            "not an EU Transparency Register export (root <register>)",
        ),
        (
            import_eu_register,
            '<!DOCTYPE x [<!ENTITY a "aaaa">]><ListOfIRPublicDetail/>',
            "the file declares a document type: refused (the export has none)",
        ),
        (
            import_local_csv,
            "name,siret\nVeolia,12345678900011\n",
            "unknown column(s) siret on line 1; the columns are: name, aliases, acronym, "
            "siren, rna, hatvp_id, eu_transparency_id, email_domains, website, category",
        ),
        (import_local_csv, "", "the file is empty"),
    ],
)
async def test_a_file_in_another_format_fails_in_one_line(
    db: Engine, tmp_path: Path, importer: Any, content: str, failure: str
) -> None:
    path = tmp_path / "file"
    path.write_text(content, encoding="utf-8")

    summary = await importer(path)

    assert (summary.read, summary.failure) == (0, failure)
    assert await representatives.list_representatives() == []


async def test_a_missing_file_fails(db: Engine, tmp_path: Path) -> None:
    summary = await import_hatvp(tmp_path / "absent.json")

    assert summary.failure == f"cannot read {tmp_path / 'absent.json'}: No such file or directory"


async def test_non_utf8_csv_says_how_to_save_it(db: Engine, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("name\nComité des fêtes\n".encode("cp1252"))

    summary = await import_local_csv(path)

    assert summary.failure == "the file is not UTF-8 text: save it as « CSV UTF-8 »"


async def test_progress_follows_the_bytes_read(db: Engine) -> None:
    seen: list[int] = []

    await import_hatvp(HATVP, progress=seen.append, batch_size=10, today=TODAY)

    assert seen == sorted(seen)
    assert len(seen) == 3
    assert seen[-1] == HATVP.stat().st_size


def test_xml_1_1_control_references_are_removed() -> None:
    assert xml_1_0(b"<a>x&#x2;&#11;y&#65;&#xe9;\x01z&amp;</a>") == b"<a>xy&#65;&#xe9;z&amp;</a>"


def _large_publication(number: int) -> dict[str, Any]:
    """A publication shaped like the real ones, whose weight is in their yearly activities."""
    action = {
        "reponsablesPublics": ["Titulaire d'une fonction exécutive locale - Maire"],
        "decisionsConcernees": ["Plan local d'urbanisme intercommunal"],
        "actionsMenees": ["Organiser des discussions informelles ou des réunions en tête-à-tête"],
        "tiers": ["En propre"],
    }
    activity = {
        "publicationCourante": {
            "objet": "Aménagement du quartier de la gare et stationnement " * 3,
            "domainesIntervention": ["Urbanisme", "Transports"],
            "actionsRepresentationInteret": [action],
        }
    }
    return {
        "typeIdentifiantNational": "SIREN",
        "denomination": f"ENTREPRISE D'ESSAI NUMERO {number}",
        "categorieOrganisation": {"code": "SOCOM", "label": "Société commerciale"},
        "dirigeants": [{"civilite": "M", "nom": f"NOM{number}", "prenom": "Prénom"}],
        "exercices": [
            {
                "publicationCourante": {
                    "dateDebut": f"01-01-{year}",
                    "dateFin": f"31-12-{year}",
                    "activites": [activity] * 3,
                }
            }
            for year in (2022, 2023, 2024)
        ],
        "datePremierePublication": "01/06/2023 14:00:09",
        "identifiantNational": f"{800000000 + number:09d}",
    }


LARGE_COUNT = 4000  # the real répertoire's number of organisations
MEMORY_BOUND = 16_000_000


@pytest.fixture(scope="module")
def large_hatvp_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4,000-publication répertoire of about 20 MB, written one publication at a time."""
    path = tmp_path_factory.mktemp("large") / "repertoire.json"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"publications": [')
        for number in range(LARGE_COUNT):
            out.write("," if number else "")
            json.dump(_large_publication(number), out, ensure_ascii=False)
        out.write("]}")
    return path


def test_a_whole_file_parser_would_exceed_the_memory_bound(large_hatvp_file: Path) -> None:
    assert large_hatvp_file.stat().st_size > 18_000_000
    tracemalloc.start()
    try:
        with large_hatvp_file.open(encoding="utf-8") as source:
            json.load(source)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak > 5 * MEMORY_BOUND


async def test_hatvp_import_memory_stays_flat(db: Engine, large_hatvp_file: Path) -> None:
    tracemalloc.start()
    try:
        summary = await import_hatvp(large_hatvp_file, today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert counts(summary) == (LARGE_COUNT, LARGE_COUNT, 0, 0, 0, 0)
    assert peak < MEMORY_BOUND
    assert len(await representatives.list_representatives()) == LARGE_COUNT


def test_a_siren_written_as_a_number_keeps_its_leading_zero() -> None:
    record = publication_record(
        {"denomination": "Régie des Eaux", "typeIdentifiantNational": "SIREN",
         "identifiantNational": 12345678},
        "publication 1",
        TODAY,
    )  # fmt: skip

    assert isinstance(record, Candidate)
    assert (record.representative.siren, record.keys) == ("012345678", ("012345678",))
