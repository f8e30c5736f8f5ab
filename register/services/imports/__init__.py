"""Importers of interest-representative registers into the directory.

Three sources, one behaviour: the national HATVP répertoire (`hatvp`), the EU Transparency
Register (`eu_register`) and a CSV of local organisations (`local_csv`) are read as streams of
records, matched against the directory by identifier (then by normalised name for records that
have none), and written in batches. Running an import twice updates, never duplicates; a bad record
is reported with its position and skipped; the import goes on.
"""

from register.services.imports.eu_register import import_eu_register
from register.services.imports.hatvp import import_hatvp
from register.services.imports.local_csv import import_local_csv
from register.services.imports.summary import ImportSummary, Problem

__all__ = ["ImportSummary", "Problem", "import_eu_register", "import_hatvp", "import_local_csv"]
