"""What an import did: how many records were read, created, updated, left unchanged or skipped,
and where each problem is in the file."""

from dataclasses import dataclass, field

MAX_DETAILED = 1000
"""Problems kept in detail; past that only their number grows, so memory stays flat even on a
file where every record is bad."""


@dataclass(frozen=True)
class Problem:
    """One problem and where it is: `position` names the record as a person would find it in
    the file ("publication 12", "line 7", "record 3 (line 40)")."""

    position: str
    reason: str

    def __str__(self) -> str:
        return f"{self.position}: {self.reason}"


@dataclass
class ImportSummary:
    """Counts, skipped records with their reasons, warnings (records imported with a value left
    out), and `failure` when the file could not be read to its end."""

    source: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    skipped_count: int = 0
    warnings: list[Problem] = field(default_factory=list)
    warning_count: int = 0
    failure: str | None = None

    def skip(self, position: str, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_DETAILED:
            self.skipped.append(Problem(position, reason))

    def warn(self, position: str, reason: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_DETAILED:
            self.warnings.append(Problem(position, reason))

    @property
    def succeeded(self) -> bool:
        """The file was read to its end (some records may still have been skipped)."""
        return self.failure is None
