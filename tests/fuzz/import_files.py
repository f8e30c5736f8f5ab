"""Register files with malformed records among good ones, for the import fuzz tests: each
generator returns the file's bytes and, per record, whether it is certainly good (True),
certainly skipped (False) or either (None: a record with random values the domain may accept)."""

import csv
import io
import json
import random
import string
from xml.sax.saxutils import escape

Rng = random.Random
Expect = bool | None


def noise(rng: Rng, size: int = 30) -> str:
    """Random text: printable, any Unicode (no surrogates), or a known awkward value."""
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(
            ["", " ", "é" * 400, "x" * 5000, '"', "a,b;c", "\t\n", "=1+1", "0", "a\x00b"]
        )
    if kind < 0.7:
        return "".join(rng.choices(string.printable, k=rng.randint(0, size)))
    return "".join(
        chr(code)
        for code in (rng.randint(1, 0x2FFFF) for _ in range(rng.randint(0, size)))
        if not 0xD800 <= code <= 0xDFFF
    )


def good_name(rng: Rng, number: int) -> str:
    return f"Organisation {number} {rng.choice(['SA', 'association', 'fédération'])}"


# HATVP: {"publications": [...]}


def publication(rng: Rng, number: int) -> tuple[object, Expect]:
    kind = rng.randrange(8)
    good: dict[str, object] = {
        "denomination": good_name(rng, number),
        "identifiantNational": f"H{number:06d}",
        "typeIdentifiantNational": "HATVP",
    }
    if kind == 0:
        return good, True
    if kind == 1:
        return rng.choice([None, 3, "texte", [1, 2], True]), False
    if kind == 2:
        return {key: value for key, value in good.items() if key != "denomination"}, False
    if kind == 3:
        return {**good, "identifiantNational": rng.choice(["", " ", None, {}, []])}, False
    if kind == 4:
        deep: object = noise(rng)
        for _ in range(rng.randint(1, 50)):
            deep = {"x": [deep]}
        return {**good, "exercices": deep, "dirigeants": deep}, True
    wild = {
        key: rng.choice(
            [noise(rng), rng.randint(-(10**12), 10**12), None, {"a": noise(rng)}, "\ud83dx"]
        )
        for key in rng.sample(
            [
                *("denomination", "identifiantNational", "typeIdentifiantNational"),
                *("categorieOrganisation", "lienSiteWeb", "emailDeContact", "dateCessation"),
                *("nomUsage", "sigleHatvp", "ancienNomHatvp"),
            ],
            rng.randint(0, 10),
        )
    }
    return {**good, **wild} if kind < 7 else wild, None


def hatvp_file(rng: Rng, count: int) -> tuple[bytes, list[Expect]]:
    records = [publication(rng, number) for number in range(1, count + 1)]
    data = {"publications": [record for record, _ in records], "extra": noise(rng)}
    written = json.dumps(data, ensure_ascii=False)
    if rng.random() < 0.5 or written.encode(errors="replace").decode() != written:
        written = json.dumps(data)  # \uXXXX escapes, lone surrogates included
    return written.encode(), [e for _, e in records]


# EU Transparency Register: XML, one interestRepresentative per record


def representative(rng: Rng, number: int) -> tuple[str, Expect]:
    code = f"{number:012d}-{number % 100:02d}"
    name = escape(good_name(rng, number))
    kind = rng.randrange(6)
    if kind == 0:
        named = f"<name><originalName>{name}</originalName></name>"
        return f"<identificationCode>{code}</identificationCode>{named}", True
    if kind == 1:
        return f"<name><originalName>{name}</originalName></name>", False
    if kind == 2:
        return f"<identificationCode>{code}</identificationCode>", False
    if kind == 3:
        nested = "<x>" * 300 + escape(noise(rng)) + "</x>" * 300
        body = f"<identificationCode>{code}</identificationCode><name>{name}</name>{nested}"
        return body, True
    fields = ["identificationCode", "name", "acronym", "webSiteURL", "registrationCategory"]
    parts = [
        f"<{field}>{escape(noise(rng))}&#x{rng.choice(['2', '41', 'FFFE', '1F600'])};</{field}>"
        for field in rng.sample(fields, rng.randint(0, 5))
    ]
    return "".join(parts), None


def eu_file(rng: Rng, count: int) -> tuple[bytes, list[Expect]]:
    records = [representative(rng, number) for number in range(1, count + 1)]
    lines = [
        "<?xml version='1.1' encoding='UTF-8'?>",
        '<ListOfIRPublicDetail xmlns="http://intragate.ec.europa.eu/transparencyregister/odp">',
        '<resultList xmlns="">',
        *(f"<interestRepresentative>\n{body}\n</interestRepresentative>" for body, _ in records),
        "</resultList></ListOfIRPublicDetail>",
    ]
    return "\n".join(lines).encode(), [expect for _, expect in records]


# A local CSV: header, then rows


CSV_COLUMNS = ["name", "siren", "rna", "hatvp_id", "email_domains", "website", "acronym"]


def row(rng: Rng, number: int) -> tuple[list[str], Expect]:
    kind = rng.randrange(6)
    good = [good_name(rng, number), "", "", f"L{number}", "", "", ""]
    if kind == 0:
        return good, True
    if kind == 1:
        return ["", *good[1:]], False
    if kind == 2:
        return [*good, "surplus", "cells"], False
    if kind == 3:
        return good[:2], True
    if kind == 4:
        return [good[0], *(noise(rng) for _ in good[1:])], True  # bad values are left out
    return [f"x{noise(rng)}", *(noise(rng) for _ in good[1:])], None  # never a blank row


def csv_file(rng: Rng, count: int) -> tuple[bytes, list[Expect]]:
    buffer = io.StringIO()
    # Cells holding a line break are quoted (RFC 4180); a "\n" file quotes every cell, or a bare
    # CR in a cell would end its row.
    ending = rng.choice(["\r\n", "\n"])
    quoting = csv.QUOTE_MINIMAL if ending == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(buffer, lineterminator=ending, quoting=quoting)
    writer.writerow(CSV_COLUMNS)
    records = [row(rng, number) for number in range(1, count + 1)]
    for cells, _ in records:
        writer.writerow(cells)
    prefix = "\ufeff" if rng.random() < 0.3 else ""
    return (prefix + buffer.getvalue()).encode(), [expect for _, expect in records]
