"""How the register compares words: case, accents, punctuation and spacing never matter."""

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: "Réunion  d'Été." and
    "reunion d ete" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", letters.replace("œ", "oe").replace("æ", "ae")).strip()


def tokens(text: str) -> list[str]:
    """The normalised words of `text`, in order."""
    return normalise(text).split()
