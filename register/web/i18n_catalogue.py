"""The English translation of every message of the public pages, keyed by its French text (the
text the templates and the code are written with). `tests/web/test_public_pages.py` checks that
every message used has its entry."""

ENGLISH: dict[str, str] = {
    # The frame of every page
    "Registre de transparence des agendas": "Agenda transparency register",
    "Aller au contenu": "Skip to content",
    "Les rencontres des responsables publics avec des représentants d'intérêts": (
        "Public officials' meetings with interest representatives"
    ),
    "Navigation principale": "Main navigation",
    "Accueil": "Home",
    "Rencontres": "Meetings",
    "Statistiques": "Statistics",
    "Données ouvertes": "Open data",
    "Méthodologie": "Methodology",
    "Données publiées sous": "Data published under the",
    "Licence Ouverte 2.0": "Licence Ouverte 2.0 (Open Licence)",
    "API documentée": "Documented API",
    "schéma OpenAPI": "OpenAPI schema",
    "Téléchargements et formats": "Downloads and formats",
    # Errors
    "Erreur {status}": "Error {status}",
    "Erreur {status} : {title}": "Error {status}: {title}",
    "Recommencer sans ces paramètres": "Try again without these parameters",
    "Retour à l'accueil": "Back to the home page",
    "Requête incorrecte": "Bad request",
    "Accès refusé": "Forbidden",
    "Page introuvable": "Not found",
    "Méthode non permise": "Method not allowed",
    "Trop de requêtes": "Too many requests",
    "Erreur du serveur": "Server error",
    "Service momentanément indisponible": "Service unavailable for the moment",
    "Il n'y a pas de page à cette adresse.": "There is no page at this address.",
    "Cette adresse ne répond pas à cette méthode.": "This address does not answer this method.",
    "Cette adresse contient des paramètres de recherche qui ne peuvent pas être lus.": (
        "This address has search parameters that cannot be read."
    ),
    "Le paramètre « {name} » ne peut pas valoir « {value} » : {expected}.": (
        'The parameter "{name}" cannot be "{value}": {expected}.'
    ),
    "Le paramètre « {name} » est donné plusieurs fois.": (
        'The parameter "{name}" is given more than once.'
    ),
    "La date de fin « until » ({until}) précède la date de début « since » ({since}).": (
        'The end date "until" ({until}) comes before the start date "since" ({since}).'
    ),
    "Le lien vers la page suivante n'est pas valide ou a été fait pour un autre tri : "
    "revenez à la première page des résultats.": (
        "The link to the next page is not valid or was made for another order: "
        "go back to the first page of results."
    ),
    "200 caractères au plus": "200 characters at most",
    "l'identifiant (UUID) d'une collectivité est attendu": "an authority's identifier (UUID)",
    "l'identifiant (UUID) d'un responsable public est attendu": "an official's identifier (UUID)",
    "l'identifiant (UUID) d'une organisation est attendu": "an organisation's identifier (UUID)",
    "le code d'un domaine est attendu (lettres minuscules, chiffres et tirets)": (
        "a policy area's code (lower-case letters, digits and hyphens)"
    ),
    "valeurs possibles : in_person, video, phone": "possible values: in_person, video, phone",
    "une date au format AAAA-MM-JJ est attendue": "a date as YYYY-MM-DD",
    "valeurs possibles : true, false": "possible values: true, false",
    "valeurs possibles : published, corrected, withdrawn": (
        "possible values: published, corrected, withdrawn"
    ),
    "valeurs possibles : -date, date, -published": "possible values: -date, date, -published",
    "un nombre entier de 1 à 100 est attendu": "a whole number from 1 to 100",
    "Aucune rencontre publiée n'a l'identifiant « {id} ».": (
        'No published meeting has the id "{id}".'
    ),
    "Aucune rencontre publiée n'est à l'agenda de « {id} ».": (
        'No published meeting is in the diary of "{id}".'
    ),
    "Aucune rencontre publiée ne nomme l'organisation « {id} ».": (
        'No published meeting names the organisation "{id}".'
    ),
    "Aucune collectivité n'a l'adresse « {slug} ».": 'No authority has the address "{slug}".',
    # Vocabularies
    "En présentiel": "In person",
    "En visioconférence": "By video",
    "Par téléphone": "By phone",
    "Brouillon": "Draft",
    "Prête": "Ready",
    "Publiée": "Published",
    "Corrigée": "Corrected",
    "Retirée": "Withdrawn",
    "Confirmée": "Confirmed",
    "Provisoire": "Tentative",
    "Annulée": "Cancelled",
    "Le responsable public": "The official",
    "Le représentant d'intérêts": "The interest representative",
    "Les deux parties": "Both",
    "Non renseigné": "Not given",
    "Élu": "Elected official",
    "Membre de cabinet ou agent": "Cabinet member or agent",
    "Sécurité": "Security",
    "Vie privée d'une personne physique": "Privacy of a natural person",
    "Marché public en cours": "Ongoing public procurement",
    "Procédure juridictionnelle": "Judicial proceedings",
    "Hors du champ du registre": "Outside the register's scope",
    "Publication": "Publication",
    "Correction": "Correction",
    "Retrait": "Withdrawal",
    "Rencontre avec un représentant d'intérêts": "Meeting with an interest representative",
    "Rencontre institutionnelle": "Institutional meeting",
    "Réunion interne": "Internal meeting",
    "Événement privé": "Private event",
    "Temps personnel": "Personal time",
    "Non qualifiée": "Not classified",
    "Les plus récentes d'abord": "Most recent first",
    "Les plus anciennes d'abord": "Oldest first",
    "Les dernières publiées d'abord": "Last published first",
    "{n} jour": "{n} day",
    "{n} jours": "{n} days",
    # Home page
    "Toutes les rencontres": "All meetings",
    "publie ici les rencontres de ses responsables publics avec des représentants d'intérêts, "
    "avec les personnes présentes et l'objet de chaque rencontre.": (
        "publishes here its officials' meetings with interest representatives, with who "
        "attended and the subject of each meeting."
    ),
    "publient ici les rencontres de leurs responsables publics avec des représentants "
    "d'intérêts, avec les personnes présentes et l'objet de chaque rencontre.": (
        "publish here their officials' meetings with interest representatives, with who "
        "attended and the subject of each meeting."
    ),
    "Rechercher des rencontres": "Search meetings",
    "Rechercher une organisation, un élu, un sujet": (
        "Search for an organisation, an official, a subject"
    ),
    "Rechercher": "Search",
    "En chiffres": "In figures",
    "Rencontres publiées": "Published meetings",
    "Organisations rencontrées": "Organisations met",
    "Responsables publics concernés": "Officials concerned",
    "Entrées du journal de publication": "Entries of the publication log",
    "Toutes les statistiques": "All statistics",
    "Dernières rencontres publiées": "Latest published meetings",
    "La rencontre publiée la plus récente": "The most recent published meeting",
    "Les {n} rencontres publiées les plus récentes": "The {n} most recent published meetings",
    "Rechercher parmi toutes les rencontres": "Search all meetings",
    "Aucune rencontre n'a encore été publiée.": "No meeting has been published yet.",
    "Suivre le registre": "Follow the register",
    "Tout le registre en CSV": "The whole register as CSV",
    "Tout le registre en JSON": "The whole register as JSON",
    "Le journal de publication": "The publication log",
    "Formats, licence et schéma": "Formats, licence and schema",
    # Lists of meetings and feeds
    "Date": "Date",
    "Responsable public": "Official",
    "Organisations": "Organisations",
    "Organisation": "Organisation",
    "Objet": "Subject",
    "Domaine": "Policy area",
    "Domaines": "Policy areas",
    "Suivre ces rencontres": "Follow these meetings",
    "S'abonner dans un agenda": "Subscribe in a calendar app",
    "Fichier iCalendar": "iCalendar file",
    "Flux RSS": "RSS feed",
    "Flux Atom": "Atom feed",
    "Tableur": "Spreadsheet",
    "API": "API",
    # Search page
    "Rencontres de cette recherche": "Meetings of this search",
    "Mots recherchés": "Words to find",
    "Dans l'objet, les organisations, le responsable public et la collectivité ; accents et "
    "majuscules ignorés.": (
        "In the subject, the organisations, the official and the authority; accents and "
        "capitals ignored."
    ),
    "Filtres": "Filters",
    "Toutes": "All",
    "Tous": "All",
    "Collectivité": "Authority",
    "Format": "Format",
    "Répertoire de la HATVP": "HATVP register",
    "Indifférent": "Either",
    "Au moins une organisation inscrite": "At least one organisation registered",
    "Aucune organisation inscrite": "No organisation registered",
    "Depuis le": "From",
    "Jusqu'au": "Until",
    "État": "State",
    "Ordre": "Order",
    "Résultats par page": "Results per page",
    "Effacer la recherche": "Clear the search",
    "{n} rencontre trouvée": "{n} meeting found",
    "{n} rencontres trouvées": "{n} meetings found",
    "Filtres en vigueur :": "Filters in force:",
    "retirer": "remove",
    "le filtre": "the filter",
    "{n} rencontre sur cette page": "{n} meeting on this page",
    "{n} rencontres sur cette page": "{n} meetings on this page",
    "Pages de résultats": "Pages of results",
    "Première page": "First page",
    "Page suivante": "Next page",
    "Aucune rencontre publiée ne correspond à cette recherche.": (
        "No published meeting matches this search."
    ),
    "Partager cette recherche": "Share this search",
    "Adresse de cette page": "Address of this page",
    "Suivre cette recherche": "Follow this search",
    "Mots": "Words",
    "Aller au résultat ({n})": "Go to the result ({n})",
    "Aller aux résultats ({n})": "Go to the results ({n})",
    "Cette liste en": "This list as",
    "agenda": "calendar",
    "Inscrite au répertoire de la HATVP": "Registered with the HATVP",
    "oui": "yes",
    "non": "no",
    # Meeting page
    "Rencontre retirée du registre": "Meeting withdrawn from the register",
    "motif": "ground",
    "Un retrait reste public : la rencontre et son historique restent consultables, mais elle "
    "ne compte plus dans les statistiques.": (
        "A withdrawal stays public: the meeting and its history can still be read, but it no "
        "longer counts in the statistics."
    ),
    "Rencontre corrigée": "Meeting corrected",
    "Voir l'historique des versions": "See the history of versions",
    "Rencontre annulée": "Meeting cancelled",
    "l'agenda indique que cette rencontre n'a pas eu lieu.": (
        "the diary says that this meeting did not take place."
    ),
    "La rencontre": "The meeting",
    "Agenda de": "Diary of",
    "À l'initiative de": "Asked for by",
    "Documents reçus": "Documents received",
    "Qui était présent": "Who was there",
    "Pour la collectivité": "For the authority",
    "{n} personne présente pour la collectivité (collégialité).": (
        "{n} person present for the authority (collegiality)."
    ),
    "{n} personnes présentes pour la collectivité (collégialité).": (
        "{n} people present for the authority (collegiality)."
    ),
    "autre participant, nommé par sa fonction": "other attendee, named by role",
    "Représentants d'intérêts": "Interest representatives",
    "inscrite au répertoire de la HATVP": "registered with the HATVP",
    "non inscrite au répertoire de la HATVP": "not registered with the HATVP",
    "Fiche au répertoire de la HATVP": "Page in the HATVP register",
    "Fiche au registre de transparence de l'UE": "Page in the EU Transparency Register",
    "Personnes présentes :": "People present:",
    "Aucune organisation n'est nommée.": "No organisation is named.",
    "Pourquoi cette rencontre est au registre": "Why this meeting is in the register",
    "Comment les rencontres sont qualifiées": "How meetings are classified",
    "Première publication": "First publication",
    "Délai de publication": "Publication delay",
    "après la fin de la rencontre": "after the meeting ended",
    "dans le délai de {n} jours fixé par la collectivité": (
        "within the authority's deadline of {n} days"
    ),
    "au-delà du délai de {n} jours fixé par la collectivité": (
        "beyond the authority's deadline of {n} days"
    ),
    "Version en vigueur": "Current version",
    "Identifiant": "Identifier",
    "Données": "Data",
    "S'abonner à l'agenda de {name}": "Subscribe to the diary of {name}",
    "Historique des versions": "History of versions",
    "Chaque version publiée est inscrite au journal de publication, chaînée par empreintes : "
    "rien de ce qui a été publié n'est réécrit en silence.": (
        "Every published version is written to the publication log, chained by hashes: nothing "
        "that was published is silently rewritten."
    ),
    "{n} version publiée, la plus récente d'abord": "{n} published version, the latest first",
    "{n} versions publiées, la plus récente d'abord": "{n} published versions, the latest first",
    "Version": "Version",
    "Action": "Action",
    "Motif": "Reason",
    "Ce qui a changé": "What changed",
    "entrée n° {n} du journal": "log entry no. {n}",
    "Date et heure": "Date and time",
    "Statut": "Status",
    "Personnes présentes pour la collectivité": "People present for the authority",
    "Initiative": "Initiative",
    "Documents": "Documents",
    "Qualification": "Classification",
    # Official, organisation and authority pages
    "Rencontres de {name}": "Meetings of {name}",
    "Rencontres avec {name}": "Meetings with {name}",
    "{n} rencontre publiée avec des représentants d'intérêts à son agenda.": (
        "{n} published meeting with interest representatives in their diary."
    ),
    "{n} rencontres publiées avec des représentants d'intérêts à son agenda.": (
        "{n} published meetings with interest representatives in their diary."
    ),
    "{n} rencontre non publiée pour un motif légal.": (
        "{n} meeting kept unpublished on a legal ground."
    ),
    "{n} rencontres non publiées pour un motif légal.": (
        "{n} meetings kept unpublished on a legal ground."
    ),
    "{n} rencontre publiée avec des responsables publics.": "{n} published meeting with officials.",
    "{n} rencontres publiées avec des responsables publics.": (
        "{n} published meetings with officials."
    ),
    "Identification": "Identification",
    "Inscrite": "Registered",
    "Non inscrite": "Not registered",
    "Identifiant national": "National identifier",
    "Registre de transparence de l'UE": "EU Transparency Register",
    "Pas d'identifiant connu": "No known identifier",
    "Responsables publics rencontrés": "Officials met",
    "Rencontres par mois": "Meetings per month",
    "Dernières rencontres": "Latest meetings",
    "La rencontre la plus récente": "The most recent meeting",
    "Les {n} rencontres les plus récentes": "The {n} most recent meetings",
    "Voir la rencontre dans la recherche": "See the meeting in the search",
    "Voir les {n} rencontres dans la recherche": "See the {n} meetings in the search",
    "Aucune rencontre publiée.": "No published meeting.",
    "Ses engagements": "Its commitments",
    "Au moins {n} responsable public ou agent assiste à chaque rencontre avec un représentant "
    "d'intérêts.": (
        "At least {n} official or agent attends every meeting with an interest representative."
    ),
    "Au moins {n} responsables publics ou agents assistent à chaque rencontre avec un "
    "représentant d'intérêts.": (
        "At least {n} officials or agents attend every meeting with an interest representative."
    ),
    "Chaque rencontre est publiée au plus tard {n} jour après avoir eu lieu.": (
        "Every meeting is published at most {n} day after it took place."
    ),
    "Chaque rencontre est publiée au plus tard {n} jours après avoir eu lieu.": (
        "Every meeting is published at most {n} days after it took place."
    ),
    "Les noms des personnes qui représentaient chaque organisation sont publiés.": (
        "The names of the people who represented each organisation are published."
    ),
    "Les noms des personnes qui représentaient chaque organisation ne sont pas publiés.": (
        "The names of the people who represented each organisation are not published."
    ),
    "Tenue du registre": "How the register is kept",
    "Définition de ces chiffres": "What these figures mean",
    "Rencontres non publiées, par motif légal": "Meetings kept unpublished, by legal ground",
    "Une rencontre peut ne pas être publiée pour un motif prévu par la loi ; le public n'en "
    "voit que le nombre, par motif.": (
        "A meeting may be kept unpublished on a ground the law provides; the public sees only "
        "how many, per ground."
    ),
    "Tenue du registre, par responsable public": "How the register is kept, per official",
    "Aucun responsable public n'est enregistré.": "No official is registered.",
    "Rencontres avec des représentants d'intérêts à l'agenda de chacun, publiées ou non ; part "
    "publiée dans le délai parmi celles qui devaient l'être.": (
        "Meetings with interest representatives in each one's diary, published or not; the share "
        "published on time among those that had to be."
    ),
    "Organisations les plus rencontrées": "Organisations met most often",
    "Rencontres avec des représentants d'intérêts": "Meetings with interest representatives",
    "Publiées": "Published",
    "Publiées dans le délai": "Published on time",
    "Délai médian de publication": "Median publication delay",
    "Fiches de collégialité complètes": "Complete collegiality records",
    # Statistics
    "{heading} : les chiffres": "{heading}: the figures",
    "Aucune rencontre publiée ne correspond.": "No published meeting matches.",
    "Les chiffres des rencontres publiées (une rencontre retirée n'y compte pas), et la tenue du "
    "registre par chaque collectivité et chaque responsable public. Chaque graphique a ses "
    "chiffres dans un tableau.": (
        "The figures of the published meetings (a withdrawn meeting does not count), and how "
        "each authority and each official keeps the register. Each chart has its figures in a "
        "table."
    ),
    "Choisir la période et la collectivité": "Choose the period and the authority",
    "Afficher": "Show",
    "Voir ces rencontres": "See these meetings",
    "Avec une organisation inscrite à la HATVP": "With an organisation registered with the HATVP",
    "Domaines les plus fréquents": "Most frequent policy areas",
    "Rencontres par responsable public": "Meetings per official",
    "Temps écoulé entre la fin de chaque rencontre et sa première publication.": (
        "Time between the end of each meeting and its first publication."
    ),
    "Tenue du registre — {name}": "How the register is kept — {name}",
    "Page de la collectivité, avec les motifs": "The authority's page, with the grounds",
    "Ces rencontres en données": "These meetings as data",
    "Rencontres par mois — {whose}": "Meetings per month — {whose}",
    "toutes les rencontres": "all meetings",
    "cette sélection": "this selection",
    "Diagramme en barres : {total} rencontres publiées de {first} à {last}, une barre par mois.": (
        "Bar chart: {total} published meetings from {first} to {last}, one bar per month."
    ),
    "Mois": "Month",
    "Diagramme en barres : les {n} organisations rencontrées le plus souvent, de la plus "
    "rencontrée à la moins rencontrée.": (
        "Bar chart: the {n} organisations met most often, from the most met to the least."
    ),
    "Diagramme en barres : les {n} domaines d'action publique des rencontres, du plus fréquent "
    "au moins fréquent.": (
        "Bar chart: the {n} policy areas of the meetings, from the most frequent to the least."
    ),
    "Diagramme en barres : les {n} responsables publics dont l'agenda compte le plus de "
    "rencontres publiées.": (
        "Bar chart: the {n} officials whose diaries hold the most published meetings."
    ),
    "Diagramme en barres : les rencontres selon le temps écoulé entre la fin de la rencontre et "
    "sa première publication ; délai médian : {median}.": (
        "Bar chart: the meetings by the time between their end and their first publication; "
        "median delay: {median}."
    ),
    "Délai": "Delay",
    "Un jour au plus": "One day at most",
    "De 1 à 7 jours": "1 to 7 days",
    "De 7 à 15 jours": "7 to 15 days",
    "De 15 à 30 jours": "15 to 30 days",
    "Plus de 30 jours": "Over 30 days",
    "Publication dans le délai, par responsable public": "Published on time, per official",
    "Diagramme en barres : pour chaque responsable public, la part de ses rencontres avec des "
    "représentants d'intérêts publiées dans le délai fixé par la collectivité, de 0 à 100 %.": (
        "Bar chart: for each official, the share of their meetings with interest representatives "
        "published within the authority's deadline, from 0 to 100%."
    ),
    "Dans le délai": "On time",
    "Délai médian": "Median delay",
    "Fiches complètes": "Complete records",
    "Non publiées (motif légal)": "Kept unpublished (legal ground)",
}
