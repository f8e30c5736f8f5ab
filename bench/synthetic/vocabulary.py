"""The words of the synthetic register: people's names, places, sectors, and the dossiers
discussed in each policy area. All invented.
"""

from dataclasses import dataclass

FEMININE_NAMES: tuple[str, ...] = (
    "Agnès", "Alice", "Amélie", "Anne", "Aurélie", "Bénédicte", "Camille", "Caroline", "Catherine",
    "Céline", "Chloé", "Claire", "Corinne", "Delphine", "Élodie", "Émilie", "Fanny", "Florence",
    "Gaëlle", "Hélène", "Inès", "Isabelle", "Jeanne", "Juliette", "Karine", "Laetitia", "Laure",
    "Léa", "Louise", "Lucie", "Manon", "Marie", "Martine", "Mathilde", "Nadia", "Nathalie",
    "Noémie", "Pauline", "Sabine", "Samira", "Sandrine", "Sarah", "Sophie", "Valérie", "Virginie",
    "Yasmina", "Zoé", "Annick", "Brigitte", "Dominique", "Estelle", "Fatima", "Géraldine",
    "Héloïse", "Josiane", "Leïla", "Maëlle", "Monique", "Océane", "Rachida",
)  # fmt: skip

MASCULINE_NAMES: tuple[str, ...] = (
    "Alain", "Alexandre", "Antoine", "Arnaud", "Benoît", "Bernard", "Bruno", "Cédric", "Christophe",
    "Damien", "David", "Denis", "Didier", "Éric", "Fabrice", "François", "Frédéric", "Gilles",
    "Guillaume", "Hervé", "Hugo", "Jacques", "Jean", "Jérôme", "Julien", "Karim", "Laurent",
    "Louis", "Luc", "Marc", "Mathieu", "Mehdi", "Michel", "Nicolas", "Olivier", "Pascal",
    "Patrick", "Paul", "Philippe", "Pierre", "Quentin", "Romain", "Samuel", "Sébastien",
    "Stéphane", "Thierry", "Thomas", "Vincent", "Yann", "Yves", "Abdel", "Baptiste", "Clément",
    "Étienne", "Gaël", "Hamid", "Jordan", "Loïc", "Matthias", "Rémi",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Aubry", "Barbier", "Baudry", "Benhamou", "Besnard", "Blanchet", "Bonnin", "Boulanger",
    "Bourgeois", "Brunet", "Caron", "Carré", "Charpentier", "Chauvin", "Colin", "Cordier",
    "Courtois", "Da Silva", "Delorme", "Dupuis", "Durand", "Ferrand", "Fleury", "Fontanel",
    "Gaillard", "Garnier", "Gauthier", "Gilbert", "Girard", "Guérin", "Guillot", "Haddad", "Hamon",
    "Huet", "Jacquet", "Joly", "Klein", "Lacroix", "Lambert", "Langlois", "Leblanc", "Lebrun",
    "Leclerc", "Lejeune", "Lemaire", "Lemercier", "Lopez", "Maillard", "Mallet", "Marchand",
    "Marty", "Mercier", "Meunier", "Michaud", "Millet", "Moreau", "Navarro", "Ollivier",
    "Pasquier", "Pelletier", "Perrot", "Poirier", "Prévost", "Renaud", "Rey", "Rivière", "Roche",
    "Rolland", "Roussel", "Royer", "Sanchez", "Schmitt", "Tanguy", "Tessier", "Texier", "Vasseur",
    "Vidal", "Weber", "Benali", "Bertin", "Camus", "Diallo", "Hoarau", "Kervella", "Le Goff",
    "Martineau", "Nguyen", "Payet", "Quéré", "Traoré", "Valentin", "Zimmermann", "Arnaud",
    "Bouvier", "Chevalier", "Dumont", "Faure", "Gomez", "Hubert", "Jourdan", "Lucas", "Masson",
    "Noël", "Olivier", "Picard", "Robin", "Simon", "Thibault", "Vincent", "André", "Boyer",
)  # fmt: skip

PLACES: tuple[str, ...] = (
    "Gambetta", "Saint-Roch", "les Varennes", "la Gare", "Bellevue", "les Tanneurs", "le Mail",
    "les Chartreux", "la Madeleine", "Port-Neuf", "les Capucins", "la Roseraie", "Beauregard",
    "les Prés-Hauts", "la Citadelle", "Montplaisir", "les Minimes", "le Grand-Clos", "la Fontaine",
    "les Aubiers", "Saint-Jacques", "la Croix-Blanche", "les Glacis", "Champ-Fleuri", "la Butte",
    "Sainte-Anne", "les Remparts", "le Moulin", "la Prairie", "les Peupliers", "Haut-Pré",
    "la Corderie", "les Sablons", "Clairefontaine", "le Val-Fleuri", "les Ormeaux", "la Tuilerie",
    "Pont-Rouge", "les Forges", "la Colline",
)  # fmt: skip

TOWNS: tuple[str, ...] = (
    "Aubeterre", "Belcastel", "Brémontier", "Castelrives", "Chantemerle", "Clairvaux-les-Vignes",
    "Fontenoy-le-Haut", "Grandpré", "Hautefage", "Lavalette", "Lesterre", "Malvoisin",
    "Montclair", "Montfleury", "Noirmoutiers-la-Rivière", "Pierrefeu", "Port-Marceau",
    "Roche-Aiguë", "Saint-Aubin-les-Prés", "Saint-Martin-des-Landes", "Sainte-Colombe-du-Lac",
    "Valmont", "Vaudrey", "Villeneuve-sur-Argence", "Auberval", "Beaulieu-les-Forges",
    "Champagnac", "Escarènes", "Frontenay", "Jonquières-Basses", "Lamotte-Argence", "Mervent",
    "Orgelet-sur-Mer", "Puyrenard", "Rochebelle", "Saint-Pierre-des-Alizés", "Tréveneuc-Haut",
    "Valcroze", "Verrières-la-Cluse", "Ambrières",
)  # fmt: skip

BRAND_STARTS: tuple[str, ...] = (
    "Val", "Mont", "Cor", "Ter", "Lum", "Ard", "Bel", "Flor", "Nov", "Ast", "Bor", "Cal", "Dor",
    "Eol", "Fer", "Gal", "Hel", "Ir", "Kal", "Lor", "Mar", "Ner", "Or", "Pol", "Quin", "Ros",
    "Sol", "Tal", "Ul", "Ver", "Zen", "Alt", "Bri", "Cen", "Dal", "Ely", "Gar", "Lys", "Sel", "Vol",
)  # fmt: skip

BRAND_ENDS: tuple[str, ...] = (
    "mont", "val", "ys", "ane", "éa", "ix", "or", "ance", "éo", "ia", "is", "on", "ar", "ens",
    "ine", "iel", "ora", "ium", "ade", "elle", "ée", "ic", "oria", "ès", "aro",
)  # fmt: skip


@dataclass(frozen=True)
class Sector:
    """A field of activity: the policy areas it lobbies on and the words of its names."""

    areas: tuple[str, ...]
    businesses: tuple[str, ...]
    """Nouns in company names: "Valmont Énergies"."""
    professions: tuple[str, ...]
    """Professional bodies: "Fédération du bâtiment" (of a town, a region, or France)."""
    causes: tuple[str, ...]
    """Associations and collectives: "Association des locataires" (of a place)."""


SECTORS: tuple[Sector, ...] = (
    Sector(
        ("urbanisme", "logement"),
        ("Immobilier", "Promotion", "Habitat", "Aménagement", "Résidences", "Foncier"),
        ("Fédération des promoteurs immobiliers", "Chambre syndicale de l'immobilier",
         "Union régionale des bailleurs sociaux", "Ordre des architectes"),
        ("Association des locataires", "Comité de quartier", "Collectif d'habitants",
         "Association de sauvegarde du quartier"),
    ),
    Sector(
        ("urbanisme", "mobilites", "finances"),
        ("Construction", "Travaux publics", "Bâtiment", "Génie civil", "Matériaux"),
        ("Fédération du bâtiment", "Fédération des travaux publics",
         "Syndicat des entreprises de génie climatique", "Union des carrières et matériaux"),
        ("Association des riverains du chantier",),
    ),
    Sector(
        ("mobilites",),
        ("Transports", "Mobilités", "Autocars", "Logistique", "Parkings"),
        ("Union des transports publics", "Fédération des transporteurs routiers",
         "Syndicat des taxis", "Chambre syndicale des loueurs de véhicules"),
        ("Association des usagers des transports", "Collectif vélo", "Association des piétons",
         "Association des cyclistes urbains"),
    ),
    Sector(
        ("eau", "environnement"),
        ("Eaux", "Hydraulique", "Assainissement", "Réseaux"),
        ("Syndicat professionnel des entreprises de l'eau", "Union des entreprises de "
         "l'assainissement"),
        ("Association de défense de la rivière", "Collectif eau bien commun",
         "Association des pêcheurs"),
    ),
    Sector(
        ("energie", "environnement"),
        ("Énergies", "Solaire", "Réseaux de chaleur", "Éolien", "Énergie"),
        ("Syndicat des énergies renouvelables", "Fédération des réseaux de chaleur",
         "Union des installateurs solaires"),
        ("Coopérative énergie citoyenne", "Association pour la sobriété énergétique"),
    ),
    Sector(
        ("environnement", "urbanisme"),
        ("Paysages", "Espaces verts", "Environnement", "Écologie urbaine"),
        ("Union des entreprises du paysage", "Syndicat des pépiniéristes"),
        ("Association de protection de la nature", "Collectif climat", "Les Amis des arbres",
         "Association pour la qualité de l'air"),
    ),
    Sector(
        ("dechets", "environnement"),
        ("Recyclage", "Propreté", "Valorisation", "Collecte"),
        ("Fédération des entreprises du recyclage", "Syndicat de la propreté urbaine"),
        ("Association zéro déchet", "Ressourcerie", "Repair café"),
    ),
    Sector(
        ("economie", "tourisme"),
        ("Distribution", "Commerces", "Marchés", "Centres commerciaux", "Négoce"),
        ("Fédération du commerce de proximité", "Union des commerçants",
         "Chambre de commerce et d'industrie", "Chambre de métiers et de l'artisanat",
         "Confédération des petites entreprises"),
        ("Association des commerçants", "Association des marchés forains",
         "Association des artisans"),
    ),
    Sector(
        ("numerique", "economie"),
        ("Numérique", "Télécom", "Data", "Logiciels", "Fibre", "Systèmes"),
        ("Fédération des opérateurs de télécommunications", "Syndicat des éditeurs de logiciels",
         "Union des entreprises du numérique"),
        ("Association pour les libertés numériques", "Collectif inclusion numérique"),
    ),
    Sector(
        ("culture", "tourisme"),
        ("Spectacles", "Productions", "Éditions", "Patrimoine", "Événements"),
        ("Syndicat des entreprises artistiques et culturelles", "Fédération des festivals",
         "Union des producteurs de spectacles"),
        ("Association des amis du patrimoine", "Compagnie de théâtre", "Festival",
         "Association culturelle", "Chorale"),
    ),
    Sector(
        ("sport", "education"),
        ("Sports", "Loisirs", "Fitness", "Glisse"),
        ("Fédération sportive", "Ligue régionale de football", "Comité départemental olympique",
         "Ligue de rugby"),
        ("Club sportif", "Association sportive", "Union sportive", "Cercle d'escrime"),
    ),
    Sector(
        ("education", "solidarites"),
        ("Éducation", "Formation", "Crèches", "Soutien scolaire"),
        ("Fédération des crèches privées", "Union des organismes de formation"),
        ("Association de parents d'élèves", "Conseil local des parents d'élèves",
         "Association d'éducation populaire"),
    ),
    Sector(
        ("sante", "solidarites"),
        ("Santé", "Cliniques", "Pharmacie", "Médical", "Biologie"),
        ("Union régionale des professionnels de santé", "Fédération de l'hospitalisation privée",
         "Syndicat des pharmaciens", "Ordre des infirmiers"),
        ("Association de patients", "Collectif santé", "Association de prévention"),
    ),
    Sector(
        ("solidarites", "logement"),
        ("Services à la personne", "Solidarité", "Insertion", "Aide à domicile"),
        ("Union des centres sociaux", "Fédération des acteurs de la solidarité",
         "Union des associations familiales"),
        ("Association d'aide aux sans-abri", "Banque alimentaire", "Association d'entraide",
         "Association des aidants"),
    ),
    Sector(
        ("securite", "mobilites"),
        ("Sécurité", "Surveillance", "Vidéoprotection", "Gardiennage"),
        ("Syndicat des entreprises de sécurité privée",),
        ("Association d'aide aux victimes", "Collectif tranquillité"),
    ),
    Sector(
        ("finances", "economie"),
        ("Conseil", "Banque", "Assurances", "Finance", "Audit"),
        ("Fédération bancaire", "Fédération des assurances", "Ordre des experts-comptables"),
        ("Association des contribuables",),
    ),
    Sector(
        ("tourisme", "economie", "culture"),
        ("Hôtels", "Voyages", "Tourisme", "Campings", "Croisières"),
        ("Union des métiers de l'hôtellerie", "Fédération de l'hôtellerie de plein air",
         "Syndicat des guides-conférenciers"),
        ("Association des loueurs de gîtes", "Collectif des habitants contre les meublés"),
    ),
    Sector(
        ("economie", "environnement", "education"),
        ("Agroalimentaire", "Restauration collective", "Vins", "Primeurs"),
        ("Chambre d'agriculture", "Syndicat des producteurs", "Fédération de la restauration "
         "collective"),
        ("Association pour une agriculture paysanne", "AMAP", "Jardins partagés"),
    ),
)  # fmt: skip

CONSULTANCY_FORMS: tuple[str, ...] = (
    "{brand} Affaires publiques",
    "{brand} Conseil",
    "{brand} & Associés",
    "{brand} Stratégies",
    "Cabinet {brand}",
)

DOSSIERS: dict[str, tuple[str, ...]] = {
    "urbanisme": (
        "Projet de réhabilitation de l'îlot {place}",
        "Révision du plan local d'urbanisme",
        "Permis de construire du programme {place}",
        "Aménagement de la ZAC {place}",
        "Requalification de la friche {place}",
        "Projet de tour de bureaux quartier {place}",
        "Modification du règlement local de publicité",
        "Opération de renouvellement urbain {place}",
    ),
    "logement": (
        "Programme de logements sociaux {place}",
        "Encadrement des loyers",
        "Rénovation énergétique des copropriétés {place}",
        "Résidence étudiante {place}",
        "Plan de lutte contre l'habitat indigne",
        "Meublés de tourisme et changement d'usage",
        "Résidence seniors {place}",
    ),
    "mobilites": (
        "Plan vélo et pistes cyclables {place}",
        "Extension de la ligne de tramway vers {place}",
        "Zone à faibles émissions",
        "Stationnement payant quartier {place}",
        "Logistique urbaine du dernier kilomètre",
        "Trottinettes et vélos en libre-service",
        "Réaménagement du pôle d'échanges {place}",
        "Navettes électriques du centre-ville",
    ),
    "eau": (
        "Renouvellement du contrat de délégation du service de l'eau",
        "Tarification sociale de l'eau",
        "Remplacement des branchements en plomb {place}",
        "Station d'épuration {place}",
        "Gestion des eaux pluviales {place}",
        "Protection du captage {place}",
    ),
    "energie": (
        "Réseau de chaleur {place}",
        "Centrales photovoltaïques sur les toitures municipales",
        "Rénovation de l'éclairage public",
        "Projet éolien {place}",
        "Bornes de recharge pour véhicules électriques",
        "Contrat de performance énergétique des écoles",
        "Unité de méthanisation {place}",
    ),
    "environnement": (
        "Plan climat-air-énergie territorial",
        "Végétalisation des cours d'école",
        "Parc naturel urbain {place}",
        "Abattage d'arbres avenue {place}",
        "Qualité de l'air aux abords de {place}",
        "Îlots de fraîcheur {place}",
        "Protection de la zone humide {place}",
    ),
    "dechets": (
        "Marché de collecte des déchets ménagers",
        "Tarification incitative des déchets",
        "Déchetterie {place}",
        "Tri et collecte des biodéchets",
        "Consigne des emballages",
        "Propreté du marché {place}",
    ),
    "economie": (
        "Implantation d'une zone commerciale {place}",
        "Ouverture dominicale des commerces",
        "Dynamisation du commerce de centre-ville",
        "Halles {place}",
        "Foncier économique de la zone {place}",
        "Terrasses et occupation du domaine public",
        "Pépinière d'entreprises {place}",
        "Marché de Noël",
    ),
    "numerique": (
        "Déploiement de la fibre optique {place}",
        "Antennes relais 5G {place}",
        "Données urbaines et ville intelligente",
        "Inclusion numérique des seniors",
        "Marché des logiciels de gestion",
        "Hébergement des données de la collectivité",
    ),
    "culture": (
        "Programmation du festival d'été",
        "Restauration de l'église {place}",
        "Subvention de la compagnie en résidence",
        "Projet de salle de musiques actuelles",
        "Médiathèque {place}",
        "Fresques et art urbain {place}",
        "Tarifs des musées municipaux",
    ),
    "sport": (
        "Rénovation du stade {place}",
        "Piscine {place}",
        "Créneaux des gymnases",
        "Organisation du semi-marathon",
        "Convention avec le club professionnel",
        "Équipements sportifs de proximité {place}",
    ),
    "education": (
        "Restauration scolaire et approvisionnement local",
        "Construction du groupe scolaire {place}",
        "Rythmes scolaires",
        "Accueil périscolaire",
        "Crèche {place}",
        "Numérique éducatif dans les écoles",
        "Rues aux écoles {place}",
    ),
    "sante": (
        "Centre de santé {place}",
        "Maison de santé pluriprofessionnelle {place}",
        "Contrat local de santé",
        "Lutte contre les déserts médicaux",
        "Prévention du moustique tigre",
        "Salle de consommation à moindre risque",
    ),
    "solidarites": (
        "Hébergement d'urgence {place}",
        "Épicerie solidaire {place}",
        "Accueil des gens du voyage",
        "Plan grand froid",
        "Accessibilité des équipements publics",
        "Aide alimentaire",
        "Maintien à domicile des personnes âgées",
    ),
    "securite": (
        "Vidéoprotection {place}",
        "Tranquillité publique aux abords de {place}",
        "Sécurité des grands événements",
        "Police municipale et brigade de nuit",
        "Plan communal de sauvegarde",
        "Rodéos urbains {place}",
    ),
    "finances": (
        "Marché public de travaux {place}",
        "Emprunts et gestion de la dette",
        "Partenariat public-privé {place}",
        "Délégation de service public du stationnement",
        "Taxe locale sur la publicité extérieure",
        "Budget participatif",
        "Assurance des bâtiments municipaux",
    ),
    "tourisme": (
        "Taxe de séjour",
        "Projet d'hôtel {place}",
        "Aire de camping-cars {place}",
        "Croisières fluviales",
        "Office de tourisme et marque territoriale",
        "Hébergements touristiques {place}",
    ),
}
"""What meetings are about, per policy area; `{place}` is a district or a site."""

DIRECTIONS: dict[str, str] = {
    "urbanisme": "de l'urbanisme",
    "logement": "de l'habitat",
    "mobilites": "des mobilités",
    "eau": "du cycle de l'eau",
    "energie": "de l'énergie",
    "environnement": "de l'environnement",
    "dechets": "de la propreté",
    "economie": "du développement économique",
    "numerique": "du numérique",
    "culture": "de la culture",
    "sport": "des sports",
    "education": "de l'éducation",
    "sante": "de la santé",
    "solidarites": "des solidarités",
    "securite": "de la sécurité",
    "finances": "des finances",
    "tourisme": "du tourisme",
}
"""The authority's departments, for senior agents' roles: "Directrice de l'urbanisme"."""
