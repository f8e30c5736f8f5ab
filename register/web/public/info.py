"""The open data page (`/donnees`: formats, downloads, licence, schema) and the methodology page
(`/methodologie`: what is published, what is not, how meetings are classified, what the
figures mean). Their prose has one template per language."""

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from register.domain.kinds import LegalGround
from register.domain.policy import Policy
from register.open_data import LICENCE, table_schema
from register.queries import MeetingFilter
from register.settings import Settings
from register.web.i18n import both_paths
from register.web.public.context import base_url, feed_links, page, ui_for

COLUMN_DESCRIPTIONS_FR: dict[str, str] = {
    "id": "Identifiant de la rencontre (UUID), stable pour toujours.",
    "authority_id": "Identifiant de la collectivité.",
    "authority": "Nom de la collectivité.",
    "official_id": "Identifiant du responsable public dont l'agenda porte la rencontre.",
    "official": "Nom de ce responsable public.",
    "official_role": "Sa fonction (mandat ou poste).",
    "starts_at": "Début, ISO 8601 en UTC.",
    "ends_at": "Fin, ISO 8601 en UTC ; vide quand l'agenda n'en donne pas.",
    "starts_at_local": "Début, ISO 8601 dans le fuseau de la rencontre.",
    "timezone": "Fuseau horaire de la rencontre (nom IANA).",
    "all_day": "Rencontre sur des journées entières.",
    "status": "confirmed, tentative ou cancelled (selon l'agenda).",
    "subject": "Objet public : ce dont il a été question.",
    "policy_area": "Code du domaine d'action publique dans la liste de la collectivité.",
    "policy_area_label": "Libellé français du domaine.",
    "format": "in_person, video ou phone.",
    "initiative": "Qui a demandé la rencontre : official, representative, joint.",
    "organisations": "Noms des organisations présentes, séparés par « ; ».",
    "organisation_ids": "Leurs identifiants dans le registre, séparés par « ; ».",
    "organisation_hatvp_ids": "Leurs identifiants HATVP, dans le même ordre (places vides).",
    "organisation_sirens": "Leurs numéros SIREN, dans le même ordre (places vides).",
    "hatvp_registered": "Au moins une organisation est inscrite au répertoire de la HATVP.",
    "officials_present": "Responsables publics présents, séparés par « ; ».",
    "other_attendee_roles": "Fonctions des autres agents publics présents.",
    "classification": "Ce que le registre considère que la rencontre est.",
    "state": "published, corrected ou withdrawn (un retrait reste public).",
    "version": "Numéro de la version publique (1 pour la première publication).",
    "first_published_at": "Date de la première publication (UTC).",
    "published_at": "Date de publication de cette version (UTC).",
    "publication_reason": "Motif public de la dernière correction ou du retrait.",
    "legal_ground": "Motif légal d'un retrait.",
    "log_seq": "Numéro de l'entrée de cette version au journal de publication.",
}


class InfoPages(Controller):
    include_in_schema = False

    @get(both_paths("/donnees"), name="open-data", cache=False)
    async def open_data(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Template:
        """Downloads, API, feeds, licence and the CSV's schema."""
        ui = ui_for(request)
        base = base_url(request, settings)
        columns = [
            (
                field["name"],
                field["type"],
                COLUMN_DESCRIPTIONS_FR.get(field["name"], field["description"])
                if ui.lang == "fr"
                else field["description"],
            )
            for field in table_schema()["fields"]
        ]
        return page(
            f"public/open_data.{ui.lang}.html",
            ui,
            {
                "section": "data",
                "base": base,
                "feeds": feed_links(base, MeetingFilter()),
                "columns": columns,
                "licence": LICENCE,
            },
        )

    @get(both_paths("/methodologie"), name="methodology", cache=False)
    async def methodology(self, request: Request[Any, Any, Any]) -> Template:
        """What the register publishes and how it decides."""
        ui = ui_for(request)
        policy = Policy()
        return page(
            f"public/methodology.{ui.lang}.html",
            ui,
            {
                "section": "methodology",
                "policy": policy,
                "grounds": list(LegalGround),
            },
        )
