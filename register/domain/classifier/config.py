"""What an authority tells the classifier: its own words for lobby meetings, internal meetings,
public bodies and personal time. Phrases are compared normalised (case and accents ignored)."""

from pydantic import BaseModel, ConfigDict

from register.domain.normalise import normalise


class ClassifierConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    interest_keywords: tuple[str, ...] = (
        "lobby",
        "lobbying",
        "representant d interets",
        "representants d interets",
        "plaidoyer",
    )
    interest_categories: tuple[str, ...] = ("RI", "représentant d'intérêts", "lobby")
    internal_patterns: tuple[str, ...] = (
        "point hebdo",
        "point hebdomadaire",
        "bureau municipal",
        "reunion de cabinet",
        "reunion cabinet",
        "point cab",
        "point cabinet",
        "codir",
        "comite de direction",
        "conseil municipal",
        "commission municipale",
        "reunion d equipe",
        "seminaire des elus",
        "point avec le dgs",
        "point dgs",
        "point budget",
        "arbitrages budgetaires",
        "preparation du conseil",
        "prepa conseil",
    )
    preparation_words: tuple[str, ...] = (
        "preparer",
        "preparation",
        "prepa",
        "relire",
        "relecture",
        "rediger",
        "note sur",
        "dossier",
        "bloquer",
        "travail sur",
    )
    public_body_words: tuple[str, ...] = (
        "prefecture",
        "prefet",
        "prefete",
        "sous prefecture",
        "region",
        "conseil regional",
        "departement",
        "conseil departemental",
        "ministere",
        "ministre",
        "ars",
        "ddt",
        "ddtm",
        "dreal",
        "rectorat",
        "education nationale",
        "caf",
        "cpam",
        "gendarmerie",
        "police nationale",
        "sdis",
        "metropole",
        "agglomeration",
        "communaute de communes",
        "communaute d agglomeration",
        "mairie de",
        "maire de",
        "ademe",
        "banque des territoires",
        "caisse des depots",
        "anah",
        "anru",
        "cerema",
        "tresorerie",
        "dgfip",
        "sous prefet",
        "depute",
        "senateur",
        "senatrice",
        "deputee",
    )
    personal_patterns: tuple[str, ...] = (
        "medecin",
        "dentiste",
        "kine",
        "ophtalmo",
        "docteur",
        "rdv perso",
        "perso",
        "anniversaire",
        "ecole",
        "creche",
        "vacances",
        "conge",
        "conges",
        "pont",
        "garde enfants",
        "sport",
        "footing",
        "coiffeur",
        "dejeuner famille",
        "famille",
        "mariage",
        "obseques",
        "veterinaire",
    )

    def phrases(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The configured phrases of one list, as normalised word tuples."""
        values: tuple[str, ...] = getattr(self, name)
        return tuple(tuple(normalise(value).split()) for value in values if normalise(value))
