"""How an imported record updates an organisation already in the directory.

Imports never rename an organisation: staff choose the name the public sees, and a register's
spelling ("SOCIETE DES EAUX DU VAL SA") that differs from it becomes an alias, so matching still
finds it. Aliases and e-mail domains are united, never shrunk (what staff added stays). A value the
source gives replaces the stored acronym, website and category. A missing identifier is added;
one that differs from the stored value, or that another organisation already holds, is left out
with a warning: that is a duplicate or a mistake for staff to look at, not for an import to guess.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from register.domain.representative import InterestRepresentative
from register.services.imports.records import LABELS, Candidate
from register.store.repositories.directory import IDENTIFIER_FIELDS, distinct_names


def combine(
    existing: InterestRepresentative,
    candidate: Candidate,
    holder_of: Callable[[str], UUID | None],
) -> tuple[InterestRepresentative, list[str]]:
    """`existing` updated with what `candidate` says, and the warnings about what was left out.

    `holder_of(value)` names another organisation holding an identifier, if one does.
    """
    incoming = candidate.representative
    warnings = []
    update: dict[str, Any] = {}
    for field in IDENTIFIER_FIELDS:
        theirs, mine = getattr(incoming, field), getattr(existing, field)
        if not theirs or theirs == mine:
            continue
        label = LABELS[field][0]
        other = holder_of(theirs)
        if mine:
            warnings.append(f"{label} {theirs} differs from the stored {mine}: kept {mine}")
        elif other is not None and other != existing.id:
            warnings.append(
                f"{label} {theirs} is already held by organisation {other}: left out "
                "(see `register directory duplicates`)"
            )
        else:
            update[field] = theirs
    update["aliases"] = distinct_names(
        [*existing.aliases, incoming.name, *incoming.aliases], existing.name
    )
    update["email_domains"] = tuple(
        dict.fromkeys([*existing.email_domains, *incoming.email_domains])
    )
    for field in ("acronym", "website", "category"):
        if getattr(incoming, field):
            update[field] = getattr(incoming, field)
    if candidate.sets_registration:
        update["hatvp_registered"] = incoming.hatvp_registered
    return existing.model_copy(update=update), warnings
