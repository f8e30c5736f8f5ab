"""Running the classifier: the directory index of an authority, classification at ingest, and
reclassification of unpublished meetings when the directory changes."""

from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

from register.domain.authority import Authority
from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification
from register.domain.classifier.classify import classify
from register.domain.classifier.config import ClassifierConfig
from register.domain.classifier.directory import DirectoryEntry, DirectoryIndex, DomainRules
from register.domain.kinds import Decider, PublicationState
from register.domain.representative import InterestRepresentative
from register.store.repositories.authorities import get_authority, list_authorities
from register.store.repositories.meetings import list_meetings, update_meeting
from register.store.repositories.officials import list_officials
from register.store.repositories.representatives import (
    directory_version,
    get_representative,
    list_representatives,
    save_representative,
)
from register.store.transaction import writing

PUBLIC_BODY_DOMAINS = frozenset(
    {
        "gouv.fr", "education.gouv.fr", "ademe.fr", "caissedesdepots.fr", "banquedesterritoires.fr",
        "cerema.fr", "anah.fr", "anru.fr", "ars.sante.fr", "caf.fr", "assurance-maladie.fr",
        "sdis.fr", "ofb.gouv.fr", "bpifrance.fr", "assemblee-nationale.fr", "senat.fr",
        "europarl.europa.eu", "ec.europa.eu", "amf.asso.fr", "departements.fr",
        "regions-france.org",
    }
)  # fmt: skip
"""Public bodies known everywhere; authorities add their neighbours' domains to their policy."""


@dataclass(frozen=True)
class Classifier:
    """The classifier as one authority runs it."""

    index: DirectoryIndex
    config: ClassifierConfig

    def __call__(self, data: CalendarData) -> Classification:
        return classify(data, self.index, self.config)


def _domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    return host.removeprefix("www.") if host else None


_CACHE: dict[UUID, tuple[object, Classifier]] = {}


async def classifier_for(authority: Authority) -> Classifier:
    """The classifier for `authority`, rebuilt only when the directory, the authority or its
    officials changed (building the index of thousands of organisations takes a while)."""
    officials = await list_officials(authority.id)
    version = (await directory_version(), authority, tuple(officials))
    cached = _CACHE.get(authority.id)
    if cached is not None and cached[0] == version:
        return cached[1]
    classifier = await _build_classifier(authority)
    _CACHE[authority.id] = (version, classifier)
    return classifier


async def _build_classifier(authority: Authority) -> Classifier:
    """The whole directory (merged duplicates left out), the authority's own domains (its
    website's and its officials' e-mail domains) and its keywords."""
    entries = [
        DirectoryEntry(
            id=rep.id,
            name=rep.name,
            aliases=rep.aliases,
            acronym=rep.acronym,
            email_domains=rep.email_domains,
        )
        for rep in await list_representatives()
        if rep.merged_into_id is None
    ]
    own = {
        official.email.rsplit("@", 1)[1].lower()
        for official in await list_officials(authority.id)
        if official.email and "@" in official.email
    }
    website = _domain_of(authority.website)
    if website:
        own.add(website)
    rules = DomainRules(
        authority_domains=frozenset(own),
        public_body_domains=PUBLIC_BODY_DOMAINS,
    )
    keywords = tuple(keyword for keyword in authority.policy.interest_keywords if len(keyword) > 2)
    categories = tuple(
        keyword for keyword in authority.policy.interest_keywords if len(keyword) <= 2
    )
    defaults = ClassifierConfig()
    config = defaults.model_copy(
        update={
            "interest_keywords": (*defaults.interest_keywords, *keywords),
            "interest_categories": (*defaults.interest_categories, *categories),
        }
    )
    return Classifier(index=DirectoryIndex.build(entries, rules), config=config)


async def reclassify_unpublished(authority_id: UUID | None = None) -> int:
    """Classify again every unpublished meeting whose classification a rule made (staff
    decisions stick), after the directory changed; returns how many changed."""
    changed = 0
    authorities = (
        [a for a in [await get_authority(authority_id)] if a]
        if authority_id
        else await list_authorities()
    )
    for authority in authorities:
        classifier = await classifier_for(authority)
        offset = 0
        while True:
            batch = await list_meetings(
                authority.id,
                states=(PublicationState.DRAFT, PublicationState.READY),
                limit=500,
                offset=offset,
            )
            if not batch:
                break
            offset += len(batch)
            async with writing():
                for meeting in batch:
                    if meeting.classification.decided_by is not Decider.RULE:
                        continue
                    verdict = classifier(meeting.calendar)
                    if verdict != meeting.classification:
                        await update_meeting(meeting.model_copy(update={"classification": verdict}))
                        changed += 1
    return changed


class RuleError(ValueError):
    """A rule that cannot be made, with a message for staff."""


async def treat_domain_as(domain: str, representative_id: UUID) -> int:
    """Turn a staff decision into a rule: e-mail addresses at `domain` are from the organisation
    `representative_id` from now on. Unpublished meetings are reclassified; returns how many
    changed."""
    representative = await get_representative(representative_id)
    if representative is None:
        raise RuleError(f"no organisation {representative_id}")
    domain = domain.strip().lower().lstrip("@")
    try:
        updated = representative.model_copy(
            update={"email_domains": (*representative.email_domains, domain)}
        )
        updated = InterestRepresentative.model_validate(updated.model_dump())
    except ValueError as error:
        raise RuleError(f"{domain!r} is not an e-mail domain") from error
    await save_representative(updated)
    return await reclassify_unpublished()
