"""The public pages' two languages: French (the register's language, at `/…`) and English (the
same pages under `/en/…`).

The language is part of the address, not a cookie or a header: a link to an English page stays
English when shared, every page has one address per language (for `hreflang`), and the public
pages set no cookie. Messages are written in French in the templates and looked up here, gettext
style: the French text is the key of its English translation, so a template reads as the page
does. Long prose (methodology, open data) has one template per language instead.
"""

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from markupsafe import Markup

from register.domain.kinds import (
    LEGAL_GROUND_LABELS,
    ClassificationKind,
    Initiative,
    LogAction,
    MeetingFormat,
    MeetingStatus,
    OfficialKind,
    PublicationState,
)
from register.domain.text import FRENCH_MONTHS, Message
from register.queries import MeetingSort
from register.web.i18n_catalogue import ENGLISH

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
ENGLISH_PREFIX = "/en"

_MONTHS: dict[Language, tuple[str, ...]] = {
    "fr": FRENCH_MONTHS,
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_SHORT_MONTHS: dict[Language, tuple[str, ...]] = {
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

_LABELS: tuple[tuple[StrEnum, str], ...] = (
    (MeetingFormat.IN_PERSON, "En présentiel"),
    (MeetingFormat.VIDEO, "En visioconférence"),
    (MeetingFormat.PHONE, "Par téléphone"),
    (PublicationState.DRAFT, "Brouillon"),
    (PublicationState.READY, "Prête"),
    (PublicationState.PUBLISHED, "Publiée"),
    (PublicationState.CORRECTED, "Corrigée"),
    (PublicationState.WITHDRAWN, "Retirée"),
    (MeetingStatus.CONFIRMED, "Confirmée"),
    (MeetingStatus.TENTATIVE, "Provisoire"),
    (MeetingStatus.CANCELLED, "Annulée"),
    (Initiative.OFFICIAL, "Le responsable public"),
    (Initiative.REPRESENTATIVE, "Le représentant d'intérêts"),
    (Initiative.JOINT, "Les deux parties"),
    (Initiative.UNKNOWN, "Non renseigné"),
    (OfficialKind.ELECTED, "Élu"),
    (OfficialKind.STAFF, "Membre de cabinet ou agent"),
    *LEGAL_GROUND_LABELS.items(),
    (LogAction.PUBLISH, "Publication"),
    (LogAction.CORRECT, "Correction"),
    (LogAction.WITHDRAW, "Retrait"),
    (ClassificationKind.INTEREST_REPRESENTATIVE, "Rencontre avec un représentant d'intérêts"),
    (ClassificationKind.INSTITUTIONAL, "Rencontre institutionnelle"),
    (ClassificationKind.INTERNAL, "Réunion interne"),
    (ClassificationKind.PRIVATE, "Événement privé"),
    (ClassificationKind.PERSONAL, "Temps personnel"),
    (ClassificationKind.UNKNOWN, "Non qualifiée"),
    (MeetingSort.NEWEST, "Les plus récentes d'abord"),
    (MeetingSort.OLDEST, "Les plus anciennes d'abord"),
    (MeetingSort.RECENTLY_PUBLISHED, "Les dernières publiées d'abord"),
)
LABELS: dict[tuple[type[StrEnum], str], str] = {
    (type(value), value.value): text for value, text in _LABELS
}
"""The French label of each value of the vocabularies a page shows, by (vocabulary, value): two
vocabularies share the value "unknown". English labels are in the catalogue."""

STATUS_TITLES: dict[int, str] = {
    400: "Requête incorrecte",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non permise",
    429: "Trop de requêtes",
    500: "Erreur du serveur",
    503: "Service momentanément indisponible",
}

STATUS_DETAILS: dict[int, str] = {
    404: "Il n'y a pas de page à cette adresse.",
    405: "Cette adresse ne répond pas à cette méthode.",
}


def language_of(path: str) -> Language:
    """The language a path asks for: English under `/en`, French otherwise."""
    return "en" if path == ENGLISH_PREFIX or path.startswith(ENGLISH_PREFIX + "/") else "fr"


def unprefixed(path: str) -> str:
    """The French (canonical) form of a path."""
    if language_of(path) == "en":
        return path[len(ENGLISH_PREFIX) :] or "/"
    return path


def in_language(path: str, lang: Language) -> str:
    """`path` (French or English form) in `lang`."""
    french = unprefixed(path)
    if lang == "fr":
        return french
    return ENGLISH_PREFIX + (french if french != "/" else "")


def both_paths(path: str) -> list[str]:
    """The French and English routes of a page, for a handler's `path`."""
    return [path, in_language(path, "en")]


def with_query(path: str, params: Mapping[str, str] | str | None = None) -> str:
    """`path` followed by `params` (or an encoded query string) as its query (none when
    empty)."""
    query = params if isinstance(params, str) else urlencode(dict(params or {}))
    return f"{path}?{query}" if query else path


class Ui:
    """What a template needs to speak the reader's language: messages, labels, numbers, dates
    and the addresses of pages in that language."""

    def __init__(self, lang: Language, path: str = "/", query: str = "") -> None:
        self.lang: Language = lang
        self.other: Language = "en" if lang == "fr" else "fr"
        self._path = path
        self._query = query

    @property
    def colon(self) -> str:
        """The colon between a label and its value: " : " in French (with a no-break space),
        ": " in English."""
        return "\u00a0: " if self.lang == "fr" else ": "

    @property
    def data_lang(self) -> Markup:
        """` lang="fr"` on what the register publishes (subjects, roles, reasons), which is in
        French, when the page around it is not: screen readers then read it in French."""
        return Markup(' lang="fr"') if self.lang != "fr" else Markup("")

    def t(self, text: str, **values: Any) -> str:
        """`text` (French) in the page's language, with `values` put in its `{fields}`."""
        translated = ENGLISH.get(text, text) if self.lang == "en" else text
        return translated.format(**values) if values else translated

    def n(self, count: int, singular: str, plural: str) -> str:
        """The message for `count` things: French treats 0 and 1 as singular, English only 1."""
        one = count <= 1 if self.lang == "fr" else count == 1
        return self.t(singular if one else plural, n=self.number(count))

    def label(self, value: StrEnum | None) -> str:
        """The label of a vocabulary's value (the value itself when it has none)."""
        if value is None:
            return ""
        text = LABELS.get((type(value), value.value))
        return self.t(text) if text else value.value

    def status_title(self, status: int, fallback: str = "") -> str:
        """The name of an HTTP error status, for the error page."""
        title = STATUS_TITLES.get(status)
        return self.t(title) if title else fallback or str(status)

    def error_detail(self, status: int, detail: str) -> str:
        """What went wrong, for the error page: the framework's bare status phrase ("Not
        Found") becomes a sentence in the reader's language."""
        try:
            bare = detail.casefold() == HTTPStatus(status).phrase.casefold()
        except ValueError:
            bare = False
        sentence = STATUS_DETAILS.get(status)
        return self.t(sentence) if bare and sentence else detail

    def message(self, message: Message) -> str:
        return message.in_language(self.lang)

    def url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """The address of the page at `path` (its French form) in this page's language."""
        return with_query(in_language(path, self.lang), params)

    @property
    def switch_url(self) -> str:
        """This very page in the other language, query included."""
        path = in_language(self._path, self.other)
        return f"{path}?{self._query}" if self._query else path

    def number(self, value: float) -> str:
        """1 234 (French, with a narrow no-break space) or 1,234."""
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:,.1f}"
        else:
            text = f"{int(value):,}"
        if self.lang == "fr":
            return text.replace(",", "\u202f").replace(".", ",")
        return text

    def percent(self, share: float | None) -> str:
        """A share (0–1) as a whole percentage; a dash when there is none."""
        if share is None:
            return "—"
        value = round(share * 100)
        return f"{value}\u00a0%" if self.lang == "fr" else f"{value}%"

    def days(self, value: float | None) -> str:
        """A number of days, to a tenth."""
        if value is None:
            return "—"
        rounded = round(value, 1)
        shown = self.number(float(rounded))
        unit = self.n(2 if abs(rounded) >= 2 else 1, "{n} jour", "{n} jours").split(" ", 1)[1]
        return f"{shown}\u00a0{unit}"

    def date(self, day: date) -> str:
        month = _MONTHS[self.lang][day.month - 1]
        if self.lang == "fr":
            first = "1er" if day.day == 1 else str(day.day)
            return f"{first} {month} {day.year}"
        return f"{day.day} {month} {day.year}"

    def moment(self, moment: datetime, timezone: str, *, all_day: bool = False) -> str:
        """A time in the zone of the meeting: "10 mars 2026, 14 h 30" or "10 March 2026, 14:30"."""
        local = moment.astimezone(ZoneInfo(timezone))
        day = self.date(local.date())
        if all_day:
            return day
        if self.lang == "fr":
            return f"{day}, {local.hour} h {local.minute:02d}"
        return f"{day}, {local.hour:02d}:{local.minute:02d}"

    def time(self, moment: datetime, timezone: str) -> str:
        local = moment.astimezone(ZoneInfo(timezone))
        if self.lang == "fr":
            return f"{local.hour} h {local.minute:02d}"
        return f"{local.hour:02d}:{local.minute:02d}"

    def month(self, key: str) -> str:
        """A month given as "2026-04": "avril 2026", "April 2026"."""
        year, month = key.split("-")
        return f"{_MONTHS[self.lang][int(month) - 1]} {year}"

    def short_month(self, key: str) -> str:
        """A month for a chart's axis: "juil. 26", "Jul 26"."""
        year, month = key.split("-")
        return f"{_SHORT_MONTHS[self.lang][int(month) - 1]} {year[2:]}"
