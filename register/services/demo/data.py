"""The demo authority's fictional content: people, organisations, subjects, and pure helpers.

Kept apart from `register.services.demo` so that the tables can grow without hiding the logic.
Every name here is invented; identifiers (SIREN, EU Transparency Register) are generated so that
they are well-formed, and carry no meaning.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

from register.domain.kinds import LegalGround, MeetingFormat, OfficialKind
from register.domain.text import Message

AUTHORITY_SLUG = "bellerive-sur-loire"
AUTHORITY_NAME = "Ville de Bellerive-sur-Loire"
AUTHORITY_DOMAIN = "bellerive-sur-loire.fr"
AUTHORITY_WEBSITE = "https://www.bellerive-sur-loire.fr"
AUTHORITY_SIREN_PREFIX = "2145"
"""Communes' SIRENs start with 21, then the département (here 45)."""
MANDATE_START = date(2020, 7, 4)


@dataclass(frozen=True)
class OfficialSpec:
    first_name: str
    last_name: str
    kind: OfficialKind
    role: str
    portfolio: str
    areas: tuple[str, ...]
    feminine: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


_FEMININE = frozenset({"Anne-Sophie", "Nadia", "Élodie", "Martine", "Claire", "Léa"})


def _elected(first: str, last: str, role: str, portfolio: str, *areas: str) -> OfficialSpec:
    kind = OfficialKind.ELECTED
    return OfficialSpec(first, last, kind, role, portfolio, areas, first in _FEMININE)


def _staff(first: str, last: str, role: str, portfolio: str, *areas: str) -> OfficialSpec:
    kind = OfficialKind.STAFF
    return OfficialSpec(first, last, kind, role, portfolio, areas, first in _FEMININE)


OFFICIALS: tuple[OfficialSpec, ...] = (
    _elected(
        "Anne-Sophie",
        "Lemercier",
        "Maire",
        "Administration générale, finances et sécurité",
        "finances",
        "securite",
    ),
    _elected(
        "Thierry",
        "Barbier",
        "Premier adjoint au maire",
        "Urbanisme, logement et aménagement",
        "urbanisme",
        "logement",
    ),
    _elected(
        "Nadia",
        "Benhamou",
        "Deuxième adjointe au maire",
        "Mobilités, voirie et espace public",
        "mobilites",
    ),
    _elected(
        "Julien",
        "Roussel",
        "Troisième adjoint au maire",
        "Transition écologique, eau, énergie et propreté",
        "environnement",
        "eau",
        "energie",
        "dechets",
    ),
    _elected(
        "Élodie",
        "Marchand",
        "Quatrième adjointe au maire",
        "Développement économique, commerce, tourisme et numérique",
        "economie",
        "tourisme",
        "numerique",
    ),
    _elected(
        "Karim",
        "Haddad",
        "Cinquième adjoint au maire",
        "Culture, patrimoine et vie associative",
        "culture",
    ),
    _elected(
        "Martine",
        "Ollivier",
        "Sixième adjointe au maire",
        "Solidarités, santé et seniors",
        "solidarites",
        "sante",
    ),
    _elected(
        "Stéphane",
        "Guérin",
        "Septième adjoint au maire",
        "Éducation, jeunesse et sport",
        "education",
        "sport",
    ),
    _staff("Claire", "Fontanel", "Directrice de cabinet", "Coordination du cabinet du maire"),
    _staff("Romain", "Tessier", "Chef de cabinet", "Agenda, protocole et relations publiques"),
    _staff(
        "Léa",
        "Moreau-Vidal",
        "Conseillère technique",
        "Urbanisme, mobilités, économie et finances",
        "urbanisme",
        "logement",
        "mobilites",
        "economie",
        "tourisme",
        "numerique",
        "finances",
        "securite",
    ),
    _staff(
        "Hugo",
        "Lambert",
        "Conseiller technique",
        "Transition écologique, solidarités, éducation et culture",
        "environnement",
        "eau",
        "energie",
        "dechets",
        "solidarites",
        "sante",
        "education",
        "sport",
        "culture",
    ),
)


@dataclass(frozen=True)
class Topic:
    """A dossier an organisation comes to talk about: its policy area, title and short label."""

    area: str
    title: str
    short: str


@dataclass(frozen=True)
class OrgSpec:
    name: str
    short: str
    category: str
    domain: str
    topics: tuple[Topic, ...]
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    hatvp: bool = True
    eu: bool = False
    weight: int = 2
    """How often the organisation asks for meetings, relative to the others."""

    @property
    def website(self) -> str:
        return f"https://www.{self.domain}"


COMPANY = "Société commerciale"
PROFESSION = "Organisation professionnelle"
ASSOCIATION = "Association"
CONSULTANCY = "Cabinet de conseil"
UNION = "Syndicat"
CHAMBER = "Chambre consulaire"
FOUNDATION = "Fondation"

T = Topic

ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "Loire Habitat Promotion",
        "Loire Habitat",
        COMPANY,
        "loire-habitat-promotion.fr",
        (
            T("urbanisme", "Projet de réhabilitation de l'îlot Gambetta", "îlot Gambetta"),
            T("logement", "Programme de 48 logements rue des Tanneurs", "rue des Tanneurs"),
            T("urbanisme", "Permis d'aménager du lotissement des Varennes", "lotissement Varennes"),
        ),
        aliases=("Loire Habitat",),
        weight=5,
    ),
    OrgSpec(
        "Fédération régionale des travaux publics Centre-Loire",
        "FRTP",
        PROFESSION,
        "frtp-centre-loire.fr",
        (
            T(
                "finances",
                "Programmation pluriannuelle des investissements de voirie",
                "PPI voirie",
            ),
            T("mobilites", "Chantiers de la future ligne de bus à haut niveau de service", "BHNS"),
            T(
                "finances",
                "Clauses d'insertion sociale dans les marchés de travaux",
                "clauses sociales",
            ),
        ),
        acronym="FRTP Centre-Loire",
        weight=3,
    ),
    OrgSpec(
        "Association Vélo Cité Bellerive",
        "Vélo Cité",
        ASSOCIATION,
        "velocite-bellerive.org",
        (
            T("mobilites", "Aménagement d'une piste cyclable sur le quai de Loire", "piste quai"),
            T("mobilites", "Plan vélo communal 2027-2032", "plan vélo"),
            T("education", "Stationnement vélo sécurisé aux abords des écoles", "vélos écoles"),
        ),
        aliases=("Vélo Cité",),
        hatvp=False,
        weight=4,
    ),
    OrgSpec(
        "Compagnie des Eaux du Val de Loire",
        "CEVL",
        COMPANY,
        "eaux-valdeloire.com",
        (
            T("eau", "Rapport annuel du délégataire du service de l'eau potable", "rapport annuel"),
            T("eau", "Programme de remplacement des branchements en plomb", "branchements plomb"),
            T("eau", "Mise en place d'une tarification sociale de l'eau", "tarif social"),
        ),
        acronym="CEVL",
        aliases=("Eaux du Val de Loire",),
        eu=True,
        weight=4,
    ),
    OrgSpec(
        "Solairéo Développement",
        "Solairéo",
        COMPANY,
        "solaireo-developpement.fr",
        (
            T("energie", "Centrales photovoltaïques sur les toitures des gymnases", "toitures PV"),
            T("energie", "Ombrières solaires sur le parking du Mail", "ombrières Mail"),
        ),
        weight=3,
    ),
    OrgSpec(
        "Coopérative Énergie Citoyenne du Bellerivois",
        "Énergie Citoyenne",
        ASSOCIATION,
        "energie-citoyenne-bellerive.org",
        (
            T(
                "energie",
                "Financement participatif d'une centrale solaire citoyenne",
                "solaire citoyen",
            ),
            T(
                "environnement",
                "Défi des familles à énergie positive dans les quartiers",
                "défi familles",
            ),
        ),
        acronym="ECB",
        hatvp=False,
    ),
    OrgSpec(
        "Union des commerçants et artisans de Bellerive",
        "UCAB",
        ASSOCIATION,
        "ucab-bellerive.fr",
        (
            T("economie", "Animations commerciales des fêtes de fin d'année", "animations Noël"),
            T(
                "economie",
                "Redevance d'occupation du domaine public pour les terrasses",
                "terrasses",
            ),
            T("mobilites", "Plan de stationnement du centre-ville", "stationnement"),
        ),
        acronym="UCAB",
        weight=4,
    ),
    OrgSpec(
        "Chambre de commerce et d'industrie de Bellerive et du Val",
        "CCI",
        CHAMBER,
        "cci-bellerive.fr",
        (
            T("economie", "Plan de revitalisation des commerces du centre-ville", "revitalisation"),
            T(
                "economie",
                "Implantation d'entreprises dans la zone d'activités des Noues",
                "ZA Noues",
            ),
        ),
        acronym="CCI Bellerive",
    ),
    OrgSpec(
        "Chambre de métiers et de l'artisanat de Bellerive",
        "CMA",
        CHAMBER,
        "cma-bellerive.fr",
        (
            T("economie", "Transmission des commerces artisanaux du centre-ville", "transmission"),
            T("urbanisme", "Accueil des artisans dans le futur village d'entreprises", "village"),
        ),
        acronym="CMA Bellerive",
        weight=1,
    ),
    OrgSpec(
        "Groupe Mercator Distribution",
        "Mercator",
        COMPANY,
        "mercator-distribution.com",
        (
            T("urbanisme", "Extension du centre commercial des Grands Prés", "Grands Prés"),
            T("economie", "Dérogations au repos dominical des commerces de détail", "dimanches"),
        ),
        eu=True,
        weight=3,
    ),
    OrgSpec(
        "Ligéria Mobilités",
        "Ligéria",
        COMPANY,
        "ligeria-mobilites.fr",
        (
            T("mobilites", "Restructuration du réseau de bus urbain", "réseau de bus"),
            T("mobilites", "Navette électrique du centre historique", "navette"),
        ),
        weight=3,
    ),
    OrgSpec(
        "Glisse Urbaine SAS",
        "Glisse Urbaine",
        COMPANY,
        "glisse-urbaine.com",
        (
            T(
                "mobilites",
                "Déploiement de vélos et trottinettes en libre-service",
                "libre-service",
            ),
            T("securite", "Stationnement des trottinettes sur les trottoirs", "trottinettes"),
        ),
        eu=True,
    ),
    OrgSpec(
        "Tri-Horizon Services",
        "Tri-Horizon",
        COMPANY,
        "tri-horizon.fr",
        (
            T("dechets", "Collecte séparée des biodéchets des ménages", "biodéchets"),
            T("dechets", "Modernisation de la déchèterie des Aubiers", "déchèterie"),
        ),
        weight=3,
    ),
    OrgSpec(
        "Fédération départementale du bâtiment du Val de Loire",
        "FDB",
        PROFESSION,
        "fdb-valdeloire.fr",
        (
            T("logement", "Rénovation énergétique des copropriétés anciennes", "copropriétés"),
            T("urbanisme", "Révision générale du plan local d'urbanisme", "révision PLU"),
        ),
        acronym="FDB Val de Loire",
    ),
    OrgSpec(
        "Syndicat des hôteliers et restaurateurs du Bellerivois",
        "SHRB",
        UNION,
        "shr-bellerive.fr",
        (
            T("tourisme", "Taxe de séjour et promotion touristique de la ville", "taxe de séjour"),
            T("economie", "Terrasses estivales sur les quais de Loire", "terrasses quais"),
        ),
        acronym="SHRB",
    ),
    OrgSpec(
        "Syndicat des taxis de Bellerive",
        "Taxis",
        UNION,
        "taxis-bellerive.fr",
        (
            T("mobilites", "Emplacements des stations de taxis au pôle gare", "taxis gare"),
            T("mobilites", "Accès des taxis aux voies réservées aux bus", "voies bus"),
        ),
        hatvp=False,
        weight=1,
    ),
    OrgSpec(
        "Syndicat des médecins libéraux du Bellerivois",
        "SMLB",
        UNION,
        "smlb.fr",
        (
            T(
                "sante",
                "Maison de santé pluriprofessionnelle du quartier des Aubiers",
                "maison santé",
            ),
            T("sante", "Organisation de la permanence des soins le week-end", "gardes"),
        ),
        acronym="SMLB",
    ),
    OrgSpec(
        "Fondation Loire Patrimoine",
        "Loire Patrimoine",
        FOUNDATION,
        "fondation-loire-patrimoine.org",
        (
            T("culture", "Restauration de la chapelle des Récollets", "chapelle"),
            T("culture", "Mécénat pour les Journées européennes du patrimoine", "mécénat JEP"),
        ),
    ),
    OrgSpec(
        "Fondation Abri Solidaire",
        "Abri Solidaire",
        FOUNDATION,
        "fondation-abri-solidaire.org",
        (
            T("solidarites", "Places d'hébergement d'urgence pour la période hivernale", "hiver"),
            T("logement", "Résidence sociale pour jeunes travailleurs", "résidence jeunes"),
        ),
        eu=True,
    ),
    OrgSpec(
        "Association des locataires des Aubiers",
        "Locataires Aubiers",
        ASSOCIATION,
        "locataires-aubiers.org",
        (
            T(
                "logement",
                "Travaux de réhabilitation de la résidence des Aubiers",
                "réhabilitation",
            ),
            T(
                "securite",
                "Éclairage public et tranquillité dans le quartier des Aubiers",
                "éclairage",
            ),
        ),
        hatvp=False,
        weight=1,
    ),
    OrgSpec(
        "CST Partners",
        "CST",
        CONSULTANCY,
        "cst-partners.com",
        (
            T(
                "finances",
                "Offre d'accompagnement pour le schéma directeur immobilier",
                "immobilier",
            ),
            T("numerique", "Stratégie d'ouverture des données publiques de la ville", "open data"),
        ),
        acronym="CST",
        aliases=("Conseil en Stratégie Territoriale",),
    ),
    OrgSpec(
        "Altiplan Conseil",
        "Altiplan",
        CONSULTANCY,
        "altiplan-conseil.fr",
        (
            T("urbanisme", "Projet d'entrepôt logistique dans la zone nord", "entrepôt"),
            T("energie", "Projet de parc éolien sur le plateau des Charmes", "éolien"),
        ),
        eu=True,
        weight=3,
    ),
    OrgSpec(
        "Réseau Fibre Val de Loire",
        "RFVL",
        COMPANY,
        "reseau-fibre-vdl.fr",
        (
            T("numerique", "Raccordement des hameaux à la fibre optique", "fibre hameaux"),
            T("numerique", "Antennes de téléphonie mobile sur les bâtiments communaux", "antennes"),
        ),
        acronym="RFVL",
    ),
    OrgSpec(
        "Tablo Éducation SAS",
        "Tablo",
        COMPANY,
        "tablo-education.fr",
        (
            T("education", "Équipement numérique des écoles élémentaires", "numérique écoles"),
            T("education", "Logiciel d'inscription aux activités périscolaires", "périscolaire"),
        ),
        weight=1,
    ),
    OrgSpec(
        "Restauration Collective du Centre",
        "RCC",
        COMPANY,
        "rcc-restauration.fr",
        (
            T(
                "education",
                "Produits locaux et biologiques dans les cantines scolaires",
                "cantines",
            ),
            T(
                "dechets",
                "Réduction du gaspillage alimentaire en restauration scolaire",
                "gaspillage",
            ),
        ),
        acronym="RCC",
    ),
    OrgSpec(
        "Fédération des clubs sportifs bellerivois",
        "FCSB",
        ASSOCIATION,
        "sport-bellerive.org",
        (
            T("sport", "Rénovation du stade municipal des Prés-Hauts", "stade"),
            T("sport", "Attribution des créneaux dans les gymnases municipaux", "créneaux"),
        ),
        acronym="FCSB",
        hatvp=False,
    ),
    OrgSpec(
        "Loire Nature Environnement Bellerive",
        "Loire Nature",
        ASSOCIATION,
        "loire-nature-bellerive.org",
        (
            T("environnement", "Protection de la zone humide des Noues", "zone humide"),
            T("environnement", "Végétalisation des cours d'école", "cours d'école"),
            T("urbanisme", "Objectif de zéro artificialisation nette dans le futur PLU", "ZAN"),
        ),
        acronym="LNEB",
        aliases=("Loire Nature",),
        weight=3,
    ),
    OrgSpec(
        "Union régionale des aménageurs et promoteurs Centre-Loire",
        "URAP",
        PROFESSION,
        "urap-centreloire.fr",
        (
            T("logement", "Part de logements sociaux dans les opérations neuves", "mixité sociale"),
            T("urbanisme", "Règles de hauteur des constructions dans le futur PLU", "hauteurs PLU"),
        ),
        acronym="URAP Centre-Loire",
    ),
    OrgSpec(
        "Parkéo Stationnement",
        "Parkéo",
        COMPANY,
        "parkeo-stationnement.com",
        (
            T("mobilites", "Tarifs du parking souterrain de la place du Marché", "parking Marché"),
            T("energie", "Bornes de recharge électrique dans les parkings publics", "bornes"),
        ),
    ),
    OrgSpec(
        "Entraide Bellerive Seniors",
        "Entraide Seniors",
        ASSOCIATION,
        "entraide-seniors-bellerive.org",
        (
            T("solidarites", "Lutte contre l'isolement des personnes âgées", "isolement"),
            T("sante", "Transport solidaire vers les consultations médicales", "transport"),
        ),
        hatvp=False,
    ),
    OrgSpec(
        "Festival des Rives Production",
        "Festival des Rives",
        COMPANY,
        "festival-des-rives.fr",
        (
            T("culture", "Organisation du festival d'été sur les quais", "festival"),
            T("tourisme", "Accueil des camping-cars pendant le festival", "camping-cars"),
        ),
        hatvp=False,
    ),
)

STAGES: tuple[str, ...] = (
    "présentation du projet",
    "point d'avancement du dossier",
    "présentation des propositions de l'organisation",
    "suites de la concertation publique",
    "calendrier et prochaines étapes",
    "examen des demandes de l'organisation",
    "retour sur l'étude préalable",
    "conditions de mise en œuvre",
    "présentation d'une étude d'impact",
)

NEARBY_AREA: dict[str, str] = {
    "urbanisme": "logement",
    "logement": "urbanisme",
    "mobilites": "securite",
    "eau": "environnement",
    "energie": "environnement",
    "environnement": "energie",
    "dechets": "environnement",
    "economie": "tourisme",
    "numerique": "economie",
    "culture": "tourisme",
    "sport": "education",
    "education": "sport",
    "sante": "solidarites",
    "solidarites": "sante",
    "securite": "mobilites",
    "finances": "economie",
    "tourisme": "culture",
}
"""A plausible wrong area for each area, for the demo's corrections."""

OTHER_ATTENDEES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "urbanisme": (
        ("Directrice de l'urbanisme", "Sophie Girard"),
        ("Instructeur du droit des sols", None),
    ),
    "logement": (("Responsable du service habitat", "Marc Delorme"),),
    "mobilites": (("Directeur de la voirie et des mobilités", "Éric Pasquier"),),
    "eau": (("Ingénieure du service de l'eau", "Camille Royer"),),
    "energie": (("Chargé de mission énergie", None),),
    "environnement": (("Responsable du service espaces verts", "Nathalie Cordier"),),
    "dechets": (("Responsable de la propreté urbaine", None),),
    "economie": (("Manager du commerce de centre-ville", "Yannick Berthier"),),
    "numerique": (("Directeur des systèmes d'information", None),),
    "culture": (("Directrice des affaires culturelles", "Isabelle Texier"),),
    "sport": (("Responsable des équipements sportifs", None),),
    "education": (("Directrice de l'éducation", "Laure Bouvier"),),
    "sante": (("Coordinatrice du contrat local de santé", None),),
    "solidarites": (("Directrice du CCAS", "Agnès Millet"),),
    "securite": (("Chef de la police municipale", None),),
    "finances": (
        ("Directeur général des services", "Philippe Caron"),
        ("Responsable de la commande publique", None),
    ),
    "tourisme": (("Directrice de l'office de tourisme", None),),
}
"""Municipal agents who sit in on meetings: a role, and sometimes the agent's name."""


@dataclass(frozen=True)
class EventTemplate:
    """A calendar entry that is not a meeting with an interest representative."""

    summary: str
    location: str
    owner: str
    """Area whose official holds the entry, or "mayor" / "cabinet"."""
    body: str = ""
    """For institutional meetings: the public body met, as the explanation names it."""


INSTITUTIONAL_EVENTS: tuple[EventTemplate, ...] = (
    EventTemplate(
        "Préfecture - sécurité des manifestations estivales",
        "Préfecture",
        "securite",
        "la préfecture",
    ),
    EventTemplate(
        "Région - comité de pilotage du contrat de territoire",
        "Hôtel de Région",
        "finances",
        "la Région",
    ),
    EventTemplate(
        "Sous-préfecture - plan communal de sauvegarde inondation",
        "Sous-préfecture",
        "securite",
        "la sous-préfecture",
    ),
    EventTemplate(
        "Département - transports scolaires et collège Jean-Rostand",
        "Hôtel du Département",
        "education",
        "le Département",
    ),
    EventTemplate(
        "ARS - projet de centre de santé municipal",
        "Visioconférence",
        "sante",
        "l'agence régionale de santé",
    ),
    EventTemplate(
        "DDT - plan de prévention du risque inondation",
        "Direction départementale des territoires",
        "urbanisme",
        "la direction départementale des territoires",
    ),
    EventTemplate(
        "Conseil communautaire de l'agglomération",
        "Siège de l'agglomération",
        "mayor",
        "l'agglomération",
    ),
    EventTemplate(
        "Agglomération - schéma cyclable intercommunal",
        "Siège de l'agglomération",
        "mobilites",
        "l'agglomération",
    ),
    EventTemplate(
        "DSDEN - carte scolaire de la prochaine rentrée",
        "Inspection académique",
        "education",
        "l'Éducation nationale",
    ),
    EventTemplate(
        "Commissariat - cellule de veille tranquillité publique",
        "Commissariat",
        "securite",
        "la police nationale",
    ),
    EventTemplate(
        "DRAC - restauration de la chapelle des Récollets",
        "Direction régionale des affaires culturelles",
        "culture",
        "la direction régionale des affaires culturelles",
    ),
    EventTemplate(
        "Syndicat intercommunal des eaux - comité syndical",
        "Siège du syndicat",
        "eau",
        "le syndicat intercommunal des eaux",
    ),
)

INTERNAL_EVENTS: tuple[EventTemplate, ...] = (
    EventTemplate("Point hebdo cabinet", "Hôtel de ville, bureau du cabinet", "cabinet"),
    EventTemplate("Bureau municipal", "Hôtel de ville, salle des adjoints", "mayor"),
    EventTemplate("Préparation du conseil municipal", "Hôtel de ville, bureau du maire", "mayor"),
    EventTemplate("Point budget avec la DGS", "Hôtel de ville, bureau du maire", "finances"),
    EventTemplate("Commission urbanisme", "Hôtel de ville, salle du conseil", "urbanisme"),
    EventTemplate(
        "Point travaux avec les services techniques", "Centre technique municipal", "mobilites"
    ),
    EventTemplate("Réunion de service - direction de la culture", "Médiathèque", "culture"),
    EventTemplate("Point CCAS", "CCAS, salle de réunion", "solidarites"),
)

PERSONAL_EVENTS: tuple[str, ...] = (
    "Course à pied avec le club",
    "Réunion parents d'élèves",
    "Déménagement d'un proche",
)

UNKNOWN_EVENTS: tuple[str, ...] = ("Appel à caler", "Réunion", "RDV Mme Perrin", "Rendez-vous")

PRIVATE_EVENTS: tuple[str, ...] = (
    "Rendez-vous médical",
    "Déjeuner personnel",
    "Dentiste",
    "Rendez-vous banque",
    "Kinésithérapeute",
    "Rendez-vous notaire",
    "Réunion parents-professeurs",
    "Garde des enfants",
)

WITHDRAWALS: tuple[tuple[str, LegalGround], ...] = (
    (
        "Retrait : la rencontre s'inscrivait dans une procédure de marché public en cours ; "
        "elle sera publiée après l'attribution.",
        LegalGround.PROCUREMENT,
    ),
    (
        "Retrait : l'organisation a été reçue en qualité de partenaire institutionnel et non de "
        "représentant d'intérêts.",
        LegalGround.OUT_OF_SCOPE,
    ),
    (
        "Retrait : la publication révélait des informations relatives à la vie privée d'une "
        "personne.",
        LegalGround.PRIVACY,
    ),
    (
        "Retrait : le dossier fait l'objet d'une procédure juridictionnelle en cours.",
        LegalGround.JUDICIAL,
    ),
    (
        "Retrait : la rencontre portait sur le plan de sécurité d'un établissement recevant du "
        "public.",
        LegalGround.SECURITY,
    ),
)

FORMAT_WORDS: dict[MeetingFormat, str] = {
    MeetingFormat.IN_PERSON: "en présentiel",
    MeetingFormat.VIDEO: "en visioconférence",
    MeetingFormat.PHONE: "par téléphone",
}

INTERNAL_EXPLANATION = Message(
    fr="Tous les participants appartiennent à la ville : réunion interne.",
    en="Every attendee works for the city: an internal meeting.",
)
PRIVATE_EXPLANATION = Message(
    fr="L'agenda marque l'événement comme privé.", en="The calendar marks the event private."
)
PERSONAL_EXPLANATION = Message(
    fr="L'intitulé désigne un engagement personnel.",
    en="The title points to a personal engagement.",
)


def rule_explanation(rule: str, organisation: str) -> Message:
    """Why the classifier flagged a meeting, in words fit for the public: the organisation and
    the rule, never the matched text (an address, a citizen's name)."""
    if rule == "email_domain":
        return Message(
            fr="Un participant invité utilise le domaine de messagerie de l'organisation "
            f"{organisation}, connue de l'annuaire des représentants d'intérêts.",
            en=f"An invited attendee uses the e-mail domain of {organisation}, an organisation "
            "in the directory of interest representatives.",
        )
    if rule == "title_names_organisation":
        return Message(
            fr=f"L'intitulé de l'événement cite l'organisation {organisation}.",
            en=f"The event's title names the organisation {organisation}.",
        )
    return Message(
        fr="L'événement porte la catégorie « RI » (représentant d'intérêts).",
        en='The event has the category "RI" (interest representative).',
    )


FIRST_NAMES: tuple[str, ...] = (
    "Amélie", "Aurélie", "Bénédicte", "Caroline", "Céline", "Chloé", "Delphine", "Émilie",
    "Fanny", "Florence", "Gaëlle", "Hélène", "Inès", "Juliette", "Laetitia", "Manon", "Mathilde",
    "Noémie", "Pauline", "Sandrine", "Valérie", "Virginie", "Alexandre", "Antoine", "Arnaud",
    "Benoît", "Bruno", "Cédric", "Damien", "David", "Fabrice", "François", "Guillaume", "Jérôme",
    "Laurent", "Mathieu", "Nicolas", "Olivier", "Pascal", "Quentin", "Sébastien", "Vincent",
    "Yann", "Mehdi", "Samira", "Thomas",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Aubry", "Baudry", "Besnard", "Blanchet", "Bonnin", "Boulanger", "Brunet", "Carré",
    "Charpentier", "Chauvin", "Colin", "Courtois", "Da Silva", "Dupuis", "Ferrand", "Fleury",
    "Gaillard", "Gauthier", "Gilbert", "Guillot", "Hamon", "Huet", "Jacquet", "Joly", "Klein",
    "Lacroix", "Langlois", "Leblanc", "Lebrun", "Leclerc", "Lejeune", "Lemaire", "Maillard",
    "Mallet", "Marty", "Meunier", "Michaud", "Navarro", "Pelletier", "Perrot", "Poirier",
    "Prévost", "Rey", "Rivière", "Roche", "Rolland", "Sanchez", "Schmitt", "Tanguy", "Vasseur",
    "Vidal", "Weber",
)  # fmt: skip

_FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)})


def ascii_fold(text: str) -> str:
    """Without accents, for slugs and e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Léa Moreau-Vidal" → "lea-moreau-vidal"."""
    cleaned = "".join(c if c.isalnum() else " " for c in ascii_fold(text).lower())
    return "-".join(cleaned.split())


def email_address(full_name: str, domain: str) -> str:
    """prenom.nom@domain, the convention of every organisation in the demo."""
    first, _, last = full_name.partition(" ")
    local = ".".join(slugify(part) for part in (first, last))
    return f"{local}@{domain}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def luhn_valid(digits: str) -> bool:
    """The Luhn check that SIREN numbers pass."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siren(rng: random.Random, prefix: str = "") -> str:
    """A 9-digit number starting with `prefix` whose last digit makes it pass the Luhn check."""
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(8 - len(prefix)))
    if not prefix:
        body = str(rng.randrange(3, 10)) + body[1:]  # companies and associations, not public bodies
    return next(body + str(d) for d in range(10) if luhn_valid(body + str(d)))


def eu_transparency_id(rng: random.Random) -> str:
    """Shaped like the EU Transparency Register's ids: twelve digits, a hyphen, two digits."""
    return f"{rng.randrange(10**11, 10**12)}-{rng.randrange(10, 100)}"


def rna(rng: random.Random) -> str:
    """An association's number in the Répertoire national des associations (W + 9 digits)."""
    return f"W45{rng.randrange(10**6, 10**7)}"


def is_working_day(day: date) -> bool:
    """Monday to Friday, except the fixed-date public holidays."""
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS
