"""Bilingual messages: the interface speaks French first, English second."""

from pydantic import BaseModel, ConfigDict

FRENCH_MONTHS: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""Month names as dates are written in French (pages, back office, feeds)."""


class Message(BaseModel):
    """A human-readable message in French and in English.

    Rules return messages rather than raising strings so that the back office can show every
    problem at once, in the reader's language.
    """

    model_config = ConfigDict(frozen=True)

    fr: str
    en: str

    def in_language(self, language: str) -> str:
        """The text in `language` ("fr" or "en"); French, the register's language, otherwise."""
        return self.en if language.lower().startswith("en") else self.fr
