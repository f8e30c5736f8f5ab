"""The public register's pages on SQLite and PostgreSQL: search with every filter, pages by
cursor, the meeting page and its history, the official, organisation and authority pages, the
statistics, open data and methodology pages, errors in the reader's language, and English."""

import ast
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from piccolo.engine.base import Engine

from register.domain.kinds import LegalGround, MeetingFormat
from register.open_data import MEETING_COLUMNS
from register.queries import MeetingFilter
from register.services.publication import Actor, correct, withdraw
from register.services.record_form import RecordForm
from register.services.records import set_exemption
from register.statistics import (
    meetings_per_month,
    publication_delays,
    register_figures,
    top_organisations,
    top_policy_areas,
)
from register.store.repositories import meetings
from register.web import i18n
from register.web.charts import Bar, bar_chart
from register.web.i18n_catalogue import ENGLISH
from register.web.public import figures as figures_module
from register.web.public import meeting as meeting_module
from register.web.public import params as params_module
from tests import factories
from tests.published import register_of_five

HTML = {"Accept": "text/html"}
MEETING_LINK = re.compile(r'href="(?:/en)?/rencontres/([0-9a-f-]{36})"')
ACTOR = Actor(label="test-editor")
LATER = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


def _listed(page: str) -> list[str]:
    """The meetings a page lists, in order (each row links its meeting once)."""
    return list(dict.fromkeys(MEETING_LINK.findall(page)))


# Search --------------------------------------------------------------------------------------


async def test_search_finds_words_and_offers_the_same_list_as_feeds_and_csv(
    client: httpx.AsyncClient,
) -> None:
    _, published = await register_of_five()

    response = await client.get("/rencontres?q=pistes+CYCLABLES", headers=HTML)

    assert response.status_code == 200
    page = response.text
    assert _listed(page) == [str(published[1].id)]
    assert "1 rencontre trouvée" in page
    assert 'href="http://register.test/feeds/rencontres.ics?q=pistes+CYCLABLES"' in page
    assert 'href="webcal://register.test/feeds/rencontres.ics?q=pistes+CYCLABLES"' in page
    assert 'href="http://register.test/feeds/rencontres.rss?q=pistes+CYCLABLES"' in page
    assert 'href="http://register.test/feeds/rencontres.atom?q=pistes+CYCLABLES"' in page
    assert 'href="http://register.test/api/v1/meetings?q=pistes+CYCLABLES&amp;format=csv"' in page
    assert 'value="http://register.test/rencontres?q=pistes+CYCLABLES"' in page  # to share
    assert '<html lang="fr">' in page
    link = response.headers["link"]
    assert '<http://register.test/feeds/rencontres.rss?q=pistes+CYCLABLES>; rel="alternate"' in link
    assert "set-cookie" not in response.headers


async def test_every_filter_narrows_the_list_as_the_query_layer_does(
    client: httpx.AsyncClient,
) -> None:
    stored, published = await register_of_five()
    ids = [str(m.id) for m in published]
    association = str(published[1].record.representatives[0].representative_id)

    async def listed(query: str) -> set[str]:
        response = await client.get(f"/rencontres?{query}", headers=HTML)
        assert response.status_code == 200, response.text
        return set(_listed(response.text))

    assert await listed("") == set(ids)
    assert await listed(f"organisation={association}") == {ids[1]}
    assert await listed(f"official={stored.owner.id}") == set(ids)
    assert await listed(f"official={stored.colleague.id}") == set()
    assert await listed(f"authority={stored.authority.id}") == set(ids)
    assert await listed("policy_area=mobilites") == {ids[1]}
    assert await listed("format=video") == {ids[2]}
    assert await listed("hatvp_registered=false") == {ids[1]}
    assert await listed("hatvp_registered=true") == set(ids) - {ids[1]}
    assert await listed("since=2026-03-03&until=2026-03-04") == {ids[1], ids[2]}
    assert await listed("state=published") == set(ids)
    assert await listed("state=withdrawn") == set()
    assert await listed("q=velo") == {ids[1]}


async def test_the_page_says_which_filters_are_in_force_and_how_to_remove_each(
    client: httpx.AsyncClient,
) -> None:
    await register_of_five()

    page = (await client.get("/rencontres?policy_area=mobilites&format=video", headers=HTML)).text

    assert "Mobilités et transports" in page
    assert "En visioconférence" in page
    assert 'href="/rencontres?format=video">retirer' in page
    assert 'href="/rencontres?policy_area=mobilites">retirer' in page
    assert '<option value="mobilites" selected>' in page
    assert '<option value="video" selected>' in page


async def test_cursor_pages_cover_every_meeting_once_in_order(client: httpx.AsyncClient) -> None:
    _, published = await register_of_five()

    seen: list[str] = []
    url: str | None = "/rencontres?sort=date&limit=2"
    pages = 0
    while url:
        page = (await client.get(url, headers=HTML)).text
        seen.extend(_listed(page))
        found = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = found.group(1).replace("&amp;", "&") if found else None
        if pages:
            assert "Première page" in page
        pages += 1

    assert pages == 3
    assert seen == [str(m.id) for m in published]  # oldest first, ties broken by id


async def test_empty_form_fields_lead_to_the_shareable_address(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/rencontres?q=&authority=&format=video&sort=-date&limit=25&since=", headers=HTML
    )

    assert response.status_code == 302
    assert response.headers["location"] == "/rencontres?format=video"
    again = await client.get("/en/rencontres?sort=date&format=video&utm_source=lettre")
    assert again.headers["location"] == "/en/rencontres?format=video&sort=date"
    assert (await client.get("/rencontres?format=video&sort=date", headers=HTML)).status_code == 200


async def test_an_address_no_route_answers_is_a_not_found_page_in_its_language(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/en/nulle-part", headers=HTML)

    assert response.status_code == 404
    assert '<html lang="en">' in response.text
    assert "There is no page at this address." in response.text


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        (
            "since=2026-13-01&format=car&limit=0",
            [
                "« since » ne peut pas valoir « 2026-13-01 » : une date au format AAAA-MM-JJ",
                "« format » ne peut pas valoir « car » : valeurs possibles : in_person, video",
                "« limit » ne peut pas valoir « 0 »",
            ],
        ),
        ("authority=bellerive", ["l'identifiant (UUID) d'une collectivité est attendu"]),
        ("since=2026-03-05&until=2026-03-01", ["précède la date de début « since »"]),
        ("state=draft", ["valeurs possibles : published, corrected, withdrawn"]),
        ("sort=random", ["valeurs possibles : -date, date, -published"]),
        ("q=a&q=b", ["Le paramètre « q » est donné plusieurs fois."]),
        ("cursor=not-a-cursor", ["Le lien vers la page suivante n'est pas valide"]),
        ("q=" + "x" * 201, ["200 caractères au plus"]),
    ],
)
async def test_a_bad_parameter_gets_the_error_page_saying_what_is_wrong(
    client: httpx.AsyncClient, query: str, messages: list[str]
) -> None:
    await register_of_five()

    response = await client.get(f"/rencontres?{query}", headers=HTML)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    page = response.text.replace("&#39;", "'").replace("&#34;", '"')
    assert "<h1>Erreur 400 : Requête incorrecte</h1>" in page
    for message in messages:
        assert message in page


async def test_a_bad_parameter_is_a_problem_document_for_programs(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/rencontres?since=hier")

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert "since" in body["errors"][0]["message"]


async def test_the_error_page_offers_to_try_again_with_the_good_parameters(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/rencontres?format=video&since=hier", headers=HTML)).text

    assert 'href="/rencontres?format=video">Recommencer sans ces paramètres' in page


# The meeting page ----------------------------------------------------------------------------


async def test_meeting_page_shows_the_public_record_and_nothing_private(
    client: httpx.AsyncClient,
) -> None:
    stored, published = await register_of_five()
    meeting = published[0]

    response = await client.get(f"/rencontres/{meeting.id}", headers=HTML)

    assert response.status_code == 200
    page = response.text.replace("&#39;", "'")
    assert "<h1>Projet de rénovation du quartier de la gare : calendrier des travaux</h1>" in page
    assert "2 mars 2026, 10 h 00" in page  # 9:00 UTC is 10:00 in Paris in March
    assert f'href="/responsables/{stored.owner.id}">Marie Durand</a>' in page
    # Present, but no diary of his own in the register: named, without a page to link to.
    assert "Paul Petit" in page
    assert f'href="/responsables/{stored.colleague.id}"' not in page
    assert "Directrice de l'urbanisme" in page  # another attendee, by role
    assert "3 personnes présentes pour la collectivité" in page
    assert f'href="/organisations/{stored.representative.id}">Fédération des bâtisseurs' in page
    assert 'href="https://www.hatvp.fr/fiche-organisation/?organisation=552100554"' in page
    assert "Un participant utilise le domaine de Fédération des bâtisseurs du Val." in page
    assert "Urbanisme et aménagement" in page
    # Published on 1 June at 9:00 UTC, the meeting ended on 2 March at 10:00 UTC.
    assert "91\u00a0jours après la fin de la rencontre" in page
    assert "au-delà du délai de 15 jours fixé par la collectivité" in page
    assert 'id="version-1"' in page
    for private in ("RDV FBV gare", "Texte privé", "jean.martin@fbv.example", "Jean Martin"):
        assert private not in page
    assert (
        f'<http://register.test/api/v1/meetings/{meeting.id}>; rel="alternate"'
        in (response.headers["link"])
    )


async def test_meeting_history_shows_corrections_and_withdrawals_with_their_reasons(
    client: httpx.AsyncClient,
) -> None:
    _, published = await register_of_five()
    target = published[0]
    stored = await meetings.get_meeting(target.id)
    assert stored is not None
    form = RecordForm.from_meeting(stored).model_copy(
        update={"subject": "Projet de rénovation de la gare : phasage des travaux"}
    )
    corrected = await correct(
        target.id,
        form,
        lock_version=stored.lock_version,
        reason="Objet précisé à la demande de la fédération.",
        actor=ACTOR,
        now=LATER,
    )
    await withdraw(
        target.id,
        lock_version=corrected.lock_version,
        reason="Saisie dans le mauvais agenda.",
        legal_ground=LegalGround.OUT_OF_SCOPE,
        actor=ACTOR,
        now=LATER + timedelta(days=1),
    )

    page = (await client.get(f"/rencontres/{target.id}", headers=HTML)).text.replace("&#39;", "'")
    rows = re.findall(r'<tr id="version-(\d)">(.*?)</tr>', page, re.S)

    assert [number for number, _ in rows] == ["3", "2", "1"]
    assert "Retrait" in rows[0][1]
    assert "Saisie dans le mauvais agenda." in rows[0][1]
    assert "Hors du champ du registre" in rows[0][1]
    assert "Correction" in rows[1][1]
    assert "Objet précisé à la demande de la fédération." in rows[1][1]
    assert "Objet" in rows[1][1]  # what the correction changed
    assert "2 juin 2026, 11 h 00" in rows[1][1]
    assert "Rencontre retirée du registre" in page
    assert "Publication" in rows[2][1]


@pytest.mark.parametrize(
    "path",
    [
        "/rencontres/pas-un-identifiant",
        "/rencontres/01234567-89ab-cdef-0123-456789abcdef",
        "/responsables/01234567-89ab-cdef-0123-456789abcdef",
        "/responsables/marie-durand",
        "/organisations/01234567-89ab-cdef-0123-456789abcdef",
        "/collectivites/nulle-part",
    ],
)
async def test_an_unknown_id_is_the_not_found_page(client: httpx.AsyncClient, path: str) -> None:
    await register_of_five()

    response = await client.get(path, headers=HTML)

    assert response.status_code == 404
    assert "<h1>Erreur 404 : Page introuvable</h1>" in response.text
    english = await client.get("/en" + path, headers=HTML)
    assert english.status_code == 404
    assert '<html lang="en">' in english.text
    assert "<h1>Error 404: Not found</h1>" in english.text


async def test_a_meeting_never_published_has_no_page(client: httpx.AsyncClient) -> None:
    stored, _ = await register_of_five()
    draft = await meetings.add_meeting(factories.meeting(stored.authority.id, stored.owner.id))

    response = await client.get(f"/rencontres/{draft.id}", headers=HTML)

    assert response.status_code == 404


# Official, organisation and authority pages --------------------------------------------------


async def test_official_page_shows_their_meetings_figures_and_feeds(
    client: httpx.AsyncClient,
) -> None:
    stored, published = await register_of_five()

    response = await client.get(f"/responsables/{stored.owner.id}", headers=HTML)

    assert response.status_code == 200
    page = response.text.replace("&#39;", "'")
    assert "<h1>Marie Durand</h1>" in page
    assert "5 rencontres publiées avec des représentants d'intérêts à son agenda." in page
    assert re.search(r"<th scope=\"row\">mars 2026</th><td class=\"num\">5</td>", page)
    assert "Fédération des bâtisseurs du Val" in page
    assert "Tenue du registre" in page
    assert set(_listed(page)) == {str(m.id) for m in published}
    assert f'href="webcal://register.test/feeds/rencontres.ics?official={stored.owner.id}"' in page
    assert f'href="/rencontres?official={stored.owner.id}"' in page
    assert 'role="img"' in page


async def test_organisation_page_links_to_the_national_and_european_registers(
    client: httpx.AsyncClient,
) -> None:
    stored, published = await register_of_five()
    rep = stored.representative

    response = await client.get(f"/organisations/{rep.id}", headers=HTML)

    assert response.status_code == 200
    page = response.text
    assert "<h1>Fédération des bâtisseurs du Val</h1>" in page
    assert "4 rencontres publiées avec des responsables publics." in page
    assert 'href="https://www.hatvp.fr/fiche-organisation/?organisation=552100554"' in page
    assert "Pas d&#39;identifiant connu" in page  # no EU Transparency Register id
    assert str(published[1].id) not in _listed(page)
    assert f'href="http://register.test/feeds/rencontres.rss?organisation={rep.id}"' in page
    assert "Marie Durand" in page  # the officials who met it


async def test_authority_page_shows_compliance_and_exemptions_by_ground(
    client: httpx.AsyncClient,
) -> None:
    stored, _ = await register_of_five()
    exempted = await meetings.add_meeting(
        factories.meeting(
            stored.authority.id,
            stored.owner.id,
            classification=factories.interest_classification(stored.representative),
        )
    )
    await set_exemption(
        exempted.id,
        LegalGround.PROCUREMENT,
        lock_version=exempted.lock_version,
        actor=ACTOR,
        now=LATER,
    )

    response = await client.get("/collectivites/ville-test", headers=HTML)

    assert response.status_code == 200
    page = response.text
    assert "<h1>Ville de Test</h1>" in page
    assert re.search(r"Marché public en cours</th><td class=\"num\">1</td>", page)
    assert re.search(r"Sécurité</th><td class=\"num\">0</td>", page)
    assert "Publiées dans le délai" in page
    assert f'href="/responsables/{stored.owner.id}">Marie Durand</a>' in page
    assert "Paul Petit" in page  # every official of the authority, with zeros
    assert "Au moins 2 responsables publics ou agents assistent" in page
    assert f"authority={stored.authority.id}" in page


# Statistics ----------------------------------------------------------------------------------


async def test_statistics_page_draws_each_figure_with_its_table(client: httpx.AsyncClient) -> None:
    await register_of_five()

    response = await client.get("/statistiques", headers=HTML)

    assert response.status_code == 200
    page = response.text
    assert page.count('role="img"') == 6
    assert page.count("<title id=") == 6
    assert page.count("<desc id=") == 6
    assert re.search(r"<th scope=\"row\">mars 2026</th><td class=\"num\">5</td>", page)
    assert 'Fédération des bâtisseurs du Val</a></th><td class="num">4</td>' in page
    assert 'Association Vélo en Ville</a></th><td class="num">1</td>' in page
    assert 'Urbanisme et aménagement</a></th><td class="num">4</td>' in page
    assert "Tenue du registre — Ville de Test" in page


async def test_statistics_follow_the_filters_of_a_search(client: httpx.AsyncClient) -> None:
    await register_of_five()

    page = (await client.get("/statistiques?policy_area=mobilites", headers=HTML)).text
    elsewhere = await client.get(f"/statistiques?authority={factories.authority().id}")

    assert 'Association Vélo en Ville</a></th><td class="num">1</td>' in page
    assert "Fédération des bâtisseurs du Val</a></th>" not in page
    assert '<input type="hidden" name="policy_area" value="mobilites">' in page
    assert elsewhere.status_code == 200
    assert (await client.get("/statistiques?until=demain", headers=HTML)).status_code == 400


async def test_statistics_count_no_withdrawn_meeting(db: Engine) -> None:
    _, published = await register_of_five()
    target = await meetings.get_meeting(published[1].id)
    assert target is not None
    await withdraw(
        target.id,
        lock_version=target.lock_version,
        reason="Doublon.",
        legal_ground=LegalGround.OUT_OF_SCOPE,
        actor=ACTOR,
        now=LATER,
    )

    months = await meetings_per_month(MeetingFilter())
    organisations = await top_organisations(MeetingFilter())
    areas = await top_policy_areas(MeetingFilter())
    delays = await publication_delays(MeetingFilter())
    figures = await register_figures(MeetingFilter())

    assert [(m.month, m.meetings) for m in months] == [("2026-03", 4)]
    assert [(o.name, o.meetings) for o in organisations] == [
        ("Fédération des bâtisseurs du Val", 4)
    ]
    assert [(a.code, a.meetings) for a in areas] == [("urbanisme", 4)]
    assert delays.meetings == 4
    assert dict(delays.bands)["30+"] == 4
    assert (figures.meetings, figures.organisations, figures.officials) == (4, 1, 1)
    assert figures.hatvp_registered_meetings == 4


async def test_months_without_meetings_are_zeros(db: Engine) -> None:
    stored, _ = await register_of_five()
    from tests.published import publish_meeting

    await publish_meeting(stored, datetime(2026, 5, 31, 22, 30, tzinfo=UTC))  # 1 June in Paris

    months = await meetings_per_month(MeetingFilter(since=date(2026, 3, 1)))

    assert [(m.month, m.meetings) for m in months] == [
        ("2026-03", 5),
        ("2026-04", 0),
        ("2026-05", 0),
        ("2026-06", 1),
    ]


# Open data, methodology, home ------------------------------------------------------------------


async def test_open_data_page_lists_downloads_licence_and_every_column(
    client: httpx.AsyncClient,
) -> None:
    for path, caption in (("/donnees", "Téléchargements"), ("/en/donnees", "Downloads")):
        response = await client.get(path, headers=HTML)

        assert response.status_code == 200
        page = response.text
        assert caption in page
        for link in (
            "/donnees/registre.csv.gz",
            "/donnees/registre.json.gz",
            "/donnees/datapackage.json",
            "/donnees/journal.jsonl.gz",
        ):
            assert f'href="{link}"' in page
        assert "Licence Ouverte / Open Licence 2.0" in page
        for name, _ in MEETING_COLUMNS:
            assert f"<code>{name}</code>" in page


async def test_methodology_page_says_what_is_published_and_how_meetings_are_classified(
    client: httpx.AsyncClient,
) -> None:
    french = (await client.get("/methodologie", headers=HTML)).text
    english = (await client.get("/en/methodologie", headers=HTML)).text

    assert 'id="qualification"' in french
    assert 'id="conformite"' in french
    assert "Ce qui n'est pas publié" in french
    assert "Marché public en cours" in french
    assert "How meetings are classified" in english
    assert "Ongoing public procurement" in english


async def test_home_page_links_to_feeds_data_and_search(client: httpx.AsyncClient) -> None:
    await register_of_five()

    page = (await client.get("/", headers=HTML)).text

    assert 'href="webcal://register.test/feeds/rencontres.ics"' in page
    assert 'href="/donnees/registre.csv.gz"' in page
    assert 'action="/rencontres"' in page
    assert 'href="/collectivites/ville-test">Ville de Test</a>' in page
    assert len(_listed(page)) == 5


# English ---------------------------------------------------------------------------------------


async def test_english_pages_keep_their_language_in_every_link(client: httpx.AsyncClient) -> None:
    stored, published = await register_of_five()

    response = await client.get("/en/rencontres?format=video", headers=HTML)
    meeting = await client.get(f"/en/rencontres/{published[2].id}", headers=HTML)

    page = response.text
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert response.headers["content-language"] == "en"
    assert "1 meeting found" in page
    assert "By video" in page
    assert 'action="/en/rencontres"' in page
    assert f'href="/en/rencontres/{published[2].id}"' in page
    assert 'href="/rencontres?format=video" hreflang="fr" lang="fr">Version française' in page
    assert f'href="/en/responsables/{stored.owner.id}"' in page
    # What the register publishes stays in French, marked as such.
    assert 'lang="fr">Projet de rénovation du quartier de la gare' in meeting.text
    assert "Who was there" in meeting.text
    french = (await client.get("/rencontres?format=video", headers=HTML)).text
    assert 'href="/en/rencontres?format=video" hreflang="en" lang="en">English' in french


# Messages, charts and parameters (no database) --------------------------------------------------

TEMPLATES = Path(i18n.__file__).parent / "templates"
_CALL = re.compile(
    r"""ui\.(?:t|n)\(\s*(?:[^"'(),]+(?:\([^()]*\))?[^"'(),]*,\s*)?(["'])((?:(?!\1).)*)\1"""
    r"""(?:\s*,\s*(["'])((?:(?!\3).)*)\3)?""",
    re.S,
)


def _messages_in_templates() -> set[str]:
    found: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        if "staff" in path.parts or path.name.endswith((".fr.html", ".en.html")):
            continue
        for match in _CALL.finditer(path.read_text()):
            found.update(text for text in (match.group(2), match.group(4)) if text)
    return found


def _messages_in_code() -> set[str]:
    found: set[str] = set()
    web = Path(i18n.__file__).parent
    for path in [web / "pages.py", web / "i18n.py", *(web / "public").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"t", "n"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"ui", "self"}
            ):
                found.update(
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                )
    return found


def test_every_message_of_the_pages_has_its_english_translation() -> None:
    tables = {
        *i18n.LABELS.values(),
        *i18n.STATUS_TITLES.values(),
        *i18n.STATUS_DETAILS.values(),
        *params_module.EXPECTED.values(),
        params_module.BAD_VALUE,
        params_module.REPEATED,
        params_module.PERIOD_REVERSED,
        params_module.BAD_CURSOR,
        *(label for label, _ in meeting_module.CHANGED_FIELDS),
        *figures_module.DELAY_BAND_LABELS.values(),
    }
    used = _messages_in_templates() | _messages_in_code() | tables

    assert len(used) > 200
    assert sorted(text for text in used if text not in ENGLISH) == []


def test_english_messages_keep_the_fields_of_the_french_ones() -> None:
    field = re.compile(r"\{(\w*)\}")
    for french, english in ENGLISH.items():
        assert sorted(field.findall(french)) == sorted(field.findall(english)), french


def test_a_chart_is_a_named_described_image_with_its_text_escaped() -> None:
    svg = bar_chart(
        [Bar("Dupont & <Fils>", 3, "3"), Bar("Autre", 0, "0")],
        chart_id="essai",
        title="Organisations",
        description="Deux barres",
        labels="above",
    )

    assert svg.startswith('<svg class="chart"')
    assert 'role="img" aria-labelledby="essai-title essai-desc"' in svg
    assert '<title id="essai-title">Organisations</title>' in svg
    assert '<desc id="essai-desc">Deux barres</desc>' in svg
    assert "Dupont &amp; &lt;Fils&gt;" in svg
    assert "style=" not in svg  # a strict CSP leaves it intact
    widths = re.findall(r'fill="#000091"', svg)
    assert len(widths) == 2


def test_dates_numbers_and_months_in_both_languages() -> None:
    french, english = i18n.Ui("fr"), i18n.Ui("en")
    moment = datetime(2026, 3, 1, 13, 5, tzinfo=UTC)

    assert french.moment(moment, "Europe/Paris") == "1er mars 2026, 14 h 05"
    assert english.moment(moment, "Europe/Paris") == "1 March 2026, 14:05"
    assert french.number(12345) == "12\u202f345"
    assert english.number(12345) == "12,345"
    assert french.days(2.46) == "2,5\u00a0jours"
    assert english.days(1.0) == "1\u00a0day"
    assert french.percent(0.875) == "88\u00a0%"
    assert french.short_month("2026-07") == "juil. 26"
    assert english.month("2026-07") == "July 2026"
    assert i18n.in_language("/", "en") == "/en"
    assert i18n.in_language("/en/rencontres", "fr") == "/rencontres"
    assert french.label(MeetingFormat.PHONE) == "Par téléphone"


def test_search_parameters_read_as_the_api_reads_them() -> None:
    search = params_module.parse_search(
        [("q", " gare "), ("hatvp_registered", "false"), ("utm_source", "x"), ("sort", "date")]
    )

    assert search.filters == MeetingFilter(q="gare", hatvp_registered=False)
    assert search.params() == {"q": "gare", "hatvp_registered": "false", "sort": "date"}
    assert search.without("q").params() == {"hatvp_registered": "false", "sort": "date"}
    with pytest.raises(params_module.BadParametersError) as refused:
        params_module.parse_search([("official", "x"), ("format", "fax"), ("q", "ok")])
    assert [p.parameter for p in refused.value.problems] == ["official", "format"]
    assert refused.value.kept == {"q": "ok"}
