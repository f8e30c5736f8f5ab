"""Audit the installed packages for known vulnerabilities with pip-audit, and say plainly how
much of the environment could actually be audited.

pip-audit asks PyPI's JSON API for each installed version's advisories
(`/pypi/<name>/<version>/json`). A package it cannot look up is skipped with a reason, and
pip-audit still ends with "No known vulnerabilities found": this script counts those skips, so
that an audit that checked nothing never passes for a clean one.

For each skipped package it then asks `/pypi/<name>/json`, which some mirrors answer when they
do not answer the per-version URL. That document's top-level `vulnerabilities` list holds the
known vulnerabilities of the latest release only (https://docs.pypi.org/api/json/), so it audits
a package exactly when the installed version is that latest release; an older installed version
stays "not checked", and is named.

Exit status: 1 when a known vulnerability is found (those listed with --ignore-vuln aside, each
with its reason in .ci/run; an ignored id also matches a PyPI advisory by id or alias); 1 when
pip-audit cannot run at all; when some packages could not be checked, a warning and 0, or 1 if
REGISTER_REQUIRE_AUDIT=1. Extra arguments go to pip-audit (e.g. --ignore-vuln GHSA-…).
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
PYPI_PROJECT_URL = "https://pypi.org/pypi/{name}/json"
TIMEOUT_SECONDS = 10.0
PARALLEL_REQUESTS = 8
SELF = "agenda-register"


@dataclass(frozen=True)
class Vulnerability:
    """One known vulnerability of one installed package."""

    package: str
    version: str
    id: str
    fixed_in: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What one source could say about one package: audited (with its findings) or not."""

    package: str
    version: str
    audited: bool
    vulnerabilities: tuple[Vulnerability, ...] = ()
    reason: str = ""


@dataclass
class Audit:
    """The whole environment's audit, by source."""

    by_pip_audit: list[Verdict] = field(default_factory=list)
    by_latest_release: list[Verdict] = field(default_factory=list)
    not_checked: list[Verdict] = field(default_factory=list)

    @property
    def vulnerabilities(self) -> list[Vulnerability]:
        audited = self.by_pip_audit + self.by_latest_release
        return [vulnerability for verdict in audited for vulnerability in verdict.vulnerabilities]


def ignored_ids(extra: Iterable[str]) -> set[str]:
    """The ids given to pip-audit as `--ignore-vuln ID` or `--ignore-vuln=ID`."""
    ids: set[str] = set()
    arguments = list(extra)
    for index, argument in enumerate(arguments):
        if argument == "--ignore-vuln" and index + 1 < len(arguments):
            ids.add(arguments[index + 1])
        elif argument.startswith("--ignore-vuln="):
            ids.add(argument.split("=", 1)[1])
    return ids


def read_pip_audit(report: Mapping[str, Any]) -> tuple[list[Verdict], list[str]]:
    """pip-audit's JSON report → (verdicts of the packages it audited, names it skipped)."""
    audited: list[Verdict] = []
    skipped: list[str] = []
    for dependency in report.get("dependencies", []):
        name = dependency["name"]
        if name == SELF:
            continue
        if "skip_reason" in dependency:
            skipped.append(name)
            continue
        version = dependency.get("version", "")
        found = tuple(
            Vulnerability(name, version, vuln["id"], tuple(vuln.get("fix_versions", [])))
            for vuln in dependency.get("vulns", [])
        )
        audited.append(Verdict(name, version, audited=True, vulnerabilities=found))
    return audited, skipped


def judge_latest_release(
    name: str, installed: str, document: Mapping[str, Any], ignored: set[str]
) -> Verdict:
    """Audit one package from PyPI's project document, when that document can answer.

    The top-level `vulnerabilities` list covers `info.version` (the latest release) and nothing
    else, so any other installed version is "not checked". Withdrawn advisories do not count, nor
    those whose id or an alias is ignored.
    """
    latest = str(document.get("info", {}).get("version", ""))
    if not latest:
        return Verdict(name, installed, audited=False, reason="no latest version in PyPI's answer")
    if not same_version(installed, latest):
        return Verdict(name, installed, audited=False, reason=f"latest release is {latest}")
    found = tuple(
        Vulnerability(name, installed, str(vuln["id"]), tuple(vuln.get("fixed_in") or ()))
        for vuln in document.get("vulnerabilities") or []
        if not vuln.get("withdrawn")
        and not ignored.intersection([vuln["id"], *(vuln.get("aliases") or [])])
    )
    return Verdict(name, installed, audited=True, vulnerabilities=found)


def same_version(installed: str, latest: str) -> bool:
    """Equal as PEP 440 versions (1.0 == 1.0.0), or as text when either is not PEP 440."""
    try:
        return Version(installed) == Version(latest)
    except InvalidVersion:
        return installed == latest


def fetch_project(name: str) -> dict[str, Any]:
    """PyPI's JSON document for the project `name` (raises on any failure)."""
    url = PYPI_PROJECT_URL.format(name=urllib.parse.quote(name))
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
        document: dict[str, Any] = json.load(answer)
    return document


def audit_from_latest_releases(
    packages: Mapping[str, str],
    ignored: set[str],
    fetch: Callable[[str], Mapping[str, Any]] = fetch_project,
) -> list[Verdict]:
    """One verdict per package (name → installed version), a few requests at a time."""

    def judge(item: tuple[str, str]) -> Verdict:
        name, installed = item
        try:
            document = fetch(name)
        except (OSError, ValueError) as error:  # URLError, timeouts, bad JSON
            return Verdict(name, installed, audited=False, reason=f"PyPI not reachable: {error}")
        return judge_latest_release(name, installed, document, ignored)

    with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
        return list(pool.map(judge, sorted(packages.items())))


def installed_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def combine(by_pip_audit: list[Verdict], fallback: list[Verdict]) -> Audit:
    audit = Audit(by_pip_audit=by_pip_audit)
    for verdict in fallback:
        (audit.by_latest_release if verdict.audited else audit.not_checked).append(verdict)
    return audit


def summary(audit: Audit) -> list[str]:
    """The lines printed at the end of the run, vulnerabilities first."""
    lines = [
        f"VULNERABLE {v.package} {v.version}: {v.id} "
        f"(fixed in {', '.join(v.fixed_in) or 'no fixed version yet'})"
        for v in audit.vulnerabilities
    ]
    lines.append(
        f"dependency audit: {len(audit.by_pip_audit)} package(s) audited by pip-audit, "
        f"{len(audit.by_latest_release)} by PyPI's latest-release data, "
        f"{len(audit.not_checked)} not checked; {len(audit.vulnerabilities)} known "
        "vulnerability(ies)."
    )
    if audit.not_checked:
        lines.append(
            f"WARNING: the dependency audit is incomplete: {len(audit.not_checked)} package(s) "
            "could not be checked (pip-audit could not look them up, and PyPI's project "
            "document lists the advisories of the latest release only): "
            + ", ".join(f"{v.package} {v.version} ({v.reason})" for v in audit.not_checked)
            + ". Run .ci/run where https://pypi.org/pypi/<package>/<version>/json answers, or "
            "set REGISTER_REQUIRE_AUDIT=1 to make this a failure."
        )
    return lines


def exit_status(audit: Audit, require_complete: bool) -> int:
    if audit.vulnerabilities:
        return 1
    return 1 if audit.not_checked and require_complete else 0


def main(extra: list[str]) -> int:
    command = [
        str(PIP_AUDIT),
        *("--format", "json", "--progress-spinner", "off", "--skip-editable"),
        *extra,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit could not run (exit {done.returncode}):\n{done.stderr}", file=sys.stderr)
        return 1
    by_pip_audit, skipped = read_pip_audit(report)
    fallback = audit_from_latest_releases(
        {name: installed_version(name) for name in skipped}, ignored_ids(extra)
    )
    audit = combine(by_pip_audit, fallback)
    for line in summary(audit):
        print(line, file=sys.stderr)
    return exit_status(audit, os.environ.get("REGISTER_REQUIRE_AUDIT", "") not in {"", "0"})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
