"""Each rule of the classifier, and its invariants (never raises; accents, case and spacing
never change the verdict)."""

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classifier.classify import classify
from register.domain.classifier.config import ClassifierConfig
from register.domain.classifier.directory import DirectoryEntry, DirectoryIndex, DomainRules
from register.domain.kinds import ClassificationKind, Visibility

VEOLYS = DirectoryEntry(
    id=uuid.UUID(int=1),
    name="Véolys Eau",
    aliases=("Véolys", "Compagnie des eaux Véolys"),
    acronym="VEO",
    email_domains=("veolys-eau.fr",),
)
FNTP = DirectoryEntry(
    id=uuid.UUID(int=2),
    name="Fédération nationale des travaux publics",
    acronym="FNTP",
    email_domains=("fntp.fr",),
)
RIDO = DirectoryEntry(id=uuid.UUID(int=3), name="Rido Mobilités", email_domains=("rido.app",))
INDEX = DirectoryIndex.build(
    [VEOLYS, FNTP, RIDO],
    DomainRules(
        authority_domains=frozenset({"bellerive-sur-loire.fr"}),
        public_body_domains=frozenset({"region-centre.fr"}),
    ),
)
CONFIG = ClassifierConfig()
KIND = ClassificationKind


def verdict(summary: str = "", **fields: object):
    return classify(CalendarData(summary=summary, **fields), INDEX, CONFIG)  # type: ignore[arg-type]


def person(email: str, name: str | None = None) -> Attendee:
    return Attendee(email=email, name=name)


def test_private_class_wins_over_everything() -> None:
    for visibility in (Visibility.PRIVATE, Visibility.CONFIDENTIAL):
        result = verdict("RDV Véolys", visibility=visibility)
        assert (result.kind, result.confidence, result.reasons[0].rule) == (
            KIND.PRIVATE,
            1.0,
            "calendar_private",
        )


def test_attendee_domain_identifies_the_organisation() -> None:
    result = verdict("Point DSP", attendees=(person("j.martin@veolys-eau.fr", "Jean Martin"),))

    assert result.kind is KIND.INTEREST_REPRESENTATIVE
    assert result.representative_ids == (VEOLYS.id,)
    assert [(r.rule, r.field, r.matched) for r in result.reasons] == [
        ("email_domain", "attendees", "veolys-eau.fr")
    ]
    assert result.reasons[0].explanation.fr == (
        "Un participant utilise le domaine de messagerie de Véolys Eau."
    )
    assert "j.martin" not in result.reasons[0].explanation.en


def test_a_subdomain_of_an_organisation_counts() -> None:
    result = verdict("Visio", attendees=(person("a.b@mail.veolys-eau.fr"),))

    assert result.representative_ids == (VEOLYS.id,)


def test_title_names_an_organisation_case_and_accent_insensitively() -> None:
    result = verdict("Déj. VEOLYS — DSP eau")

    assert result.kind is KIND.INTEREST_REPRESENTATIVE
    assert result.representative_ids == (VEOLYS.id,)
    assert (result.reasons[0].rule, result.reasons[0].field, result.reasons[0].matched) == (
        "name",
        "summary",
        "veolys",
    )
    assert result.reasons[0].explanation.en == "The title names Véolys Eau."


def test_an_acronym_counts_only_written_as_an_acronym() -> None:
    assert verdict("RDV FNTP + fédération BTP 35").representative_ids == (FNTP.id,)
    assert verdict("Réunion sur la fntp").kind is KIND.UNKNOWN


def test_a_near_miss_of_a_distinctive_name_is_caught_with_lower_confidence() -> None:
    exact = verdict("Rencontre Véolys")
    misspelt = verdict("Rencontre Veollys")
    unrelated = verdict("Rencontre Vesoul")

    assert exact.representative_ids == misspelt.representative_ids == (VEOLYS.id,)
    assert unrelated.representative_ids == ()
    assert misspelt.reasons[0].rule == "near_miss"
    assert misspelt.confidence < exact.confidence


def test_name_in_the_description_only_is_weaker_than_in_the_title() -> None:
    in_title = verdict("Rendez-vous Véolys")
    in_description = verdict("Rendez-vous", description="Présentation par Véolys du contrat")

    assert in_description.representative_ids == (VEOLYS.id,)
    assert in_description.confidence < in_title.confidence


def test_several_organisations_are_all_listed() -> None:
    result = verdict("Table ronde FNTP et Rido mobilités")

    assert set(result.representative_ids) == {FNTP.id, RIDO.id}


def test_a_representative_present_makes_a_public_meeting_an_interest_meeting() -> None:
    result = verdict(
        "Réunion préfecture — chantier tramway",
        attendees=(person("x@region-centre.fr"), person("y@fntp.fr")),
    )

    assert result.kind is KIND.INTEREST_REPRESENTATIVE
    assert result.representative_ids == (FNTP.id,)


def test_preparing_a_file_about_an_organisation_is_internal_work() -> None:
    result = verdict("Préparer dossier Véolys", attendees=(person("c@bellerive-sur-loire.fr"),))

    assert (result.kind, result.reasons[0].rule) == (KIND.INTERNAL, "internal")
    assert result.representative_ids == ()


def test_an_organisation_named_in_an_internal_meeting_is_not_met() -> None:
    result = verdict("Commission DSP eau — analyse des offres Véolys")

    assert (result.kind, result.representative_ids) == (KIND.INTERNAL, ())


def test_an_organisation_that_attends_makes_even_an_internal_looking_meeting_a_lobby_one() -> None:
    result = verdict("Point hebdo", attendees=(person("x@veolys-eau.fr"),))

    assert (result.kind, result.representative_ids) == (KIND.INTEREST_REPRESENTATIVE, (VEOLYS.id,))


def test_a_place_or_a_short_acronym_alone_is_not_enough() -> None:
    assert verdict("Déjeuner", location="Véolys Eau, siège").kind is KIND.UNKNOWN
    short = DirectoryIndex.build(
        [DirectoryEntry(id=uuid.UUID(int=7), name="Ensemble des lieux", acronym="EDL")],
        DomainRules(),
    )
    assert classify(CalendarData(summary="EDL appartement"), short, CONFIG).kind is KIND.UNKNOWN


def test_a_public_event_an_organisation_hosts_is_left_to_staff() -> None:
    result = verdict("Inauguration du siège Véolys")

    assert (result.kind, result.reasons[0].rule) == (KIND.UNKNOWN, "public_event")


def test_webmail_identifies_nobody() -> None:
    result = verdict("Rencontre", attendees=(person("jean.dupont@gmail.com"),))

    assert result.kind is KIND.UNKNOWN
    assert result.representative_ids == ()


def test_authority_keyword_or_category_marks_an_interest_meeting() -> None:
    assert verdict("Rencontre lobby énergie").kind is KIND.INTEREST_REPRESENTATIVE
    by_category = verdict("Rencontre", categories=("RI",))
    assert (by_category.kind, by_category.reasons[0].rule) == (
        KIND.INTEREST_REPRESENTATIVE,
        "authority_keyword",
    )


def test_public_bodies_make_an_institutional_meeting() -> None:
    assert verdict("Réunion préfecture — plan grand froid").kind is KIND.INSTITUTIONAL
    by_domain = verdict("Comité de suivi", attendees=(person("a@region-centre.fr"),))
    assert by_domain.kind is KIND.INSTITUTIONAL
    assert verdict("Visio", attendees=(person("b@ddt-41.gouv.fr"),)).kind is KIND.INSTITUTIONAL


def test_internal_patterns_and_colleagues_only_make_an_internal_meeting() -> None:
    assert verdict("Point hebdo cab").kind is KIND.INTERNAL
    assert verdict("Bureau municipal").kind is KIND.INTERNAL
    colleagues = verdict("Échange", attendees=(person("a@bellerive-sur-loire.fr"),))
    assert (colleagues.kind, colleagues.confidence) == (KIND.INTERNAL, 0.6)


def test_personal_time_is_personal() -> None:
    assert verdict("Dentiste").kind is KIND.PERSONAL
    assert verdict("Anniversaire de Léa").kind is KIND.PERSONAL


def test_nothing_recognisable_is_unknown() -> None:
    result = verdict("Rencontre", location="Café de la gare")

    assert (result.kind, result.confidence, result.reasons) == (KIND.UNKNOWN, 0.0, ())


def test_an_ordinary_word_that_is_a_stopword_never_matches() -> None:
    index = DirectoryIndex.build([DirectoryEntry(id=uuid.UUID(int=9), name="Point")], DomainRules())

    assert classify(CalendarData(summary="Point"), index, CONFIG).kind is KIND.UNKNOWN


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@given(summary=texts, location=texts, description=texts, category=texts)
@settings(max_examples=300, deadline=None)
def test_the_classifier_never_raises(
    summary: str, location: str, description: str, category: str
) -> None:
    result = classify(
        CalendarData(
            summary=summary,
            location=location,
            description=description,
            categories=(category,),
            attendees=(Attendee(email=f"x@{category}"),),
        ),
        INDEX,
        CONFIG,
    )

    assert 0.0 <= result.confidence <= 1.0


SUMMARIES = [
    "Déj. Véolys — DSP eau",
    "RDV fédération nationale des travaux publics",
    "Réunion préfecture — plan grand froid",
    "Point hebdo cabinet",
    "Visio Rido mobilités",
    "Dentiste",
]


@given(
    summary=st.sampled_from(SUMMARIES),
    upper=st.booleans(),
    spaces=st.integers(min_value=1, max_value=3),
)
def test_accent_case_and_spacing_variants_classify_alike(
    summary: str, upper: bool, spaces: int
) -> None:
    import unicodedata

    plain = "".join(
        c for c in unicodedata.normalize("NFKD", summary) if not unicodedata.combining(c)
    )
    variant = (plain.upper() if upper else plain.lower()).replace(" ", " " * spaces)
    original = verdict(summary)
    changed = verdict(variant)

    assert (changed.kind, changed.representative_ids) == (
        original.kind,
        original.representative_ids,
    )
