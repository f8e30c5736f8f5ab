"""The decision logic of scripts/audit_dependencies.py, on canned pip-audit reports and PyPI
project documents: what counts as audited, as found, and as not checked. No network: the logic
is what is tested, not PyPI."""

import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_dependencies"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


audit = load_script()


def project(latest: str, vulnerabilities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A PyPI `/pypi/<name>/json` document, cut to what the script reads."""
    return {"info": {"name": "x", "version": latest}, "vulnerabilities": vulnerabilities or []}


def advisory(
    id_: str, fixed_in: list[str], *, aliases: list[str] | None = None, withdrawn: str | None = None
) -> dict[str, Any]:
    return {
        "id": id_,
        "aliases": aliases or [],
        "fixed_in": fixed_in,
        "withdrawn": withdrawn,
        "details": "…",
        "link": f"https://osv.dev/vulnerability/{id_}",
    }


def test_the_latest_release_without_advisories_is_audited_and_clean() -> None:
    verdict = audit.judge_latest_release("jinja2", "3.1.6", project("3.1.6"), set())
    assert verdict.audited
    assert verdict.vulnerabilities == ()


def test_the_latest_release_with_an_advisory_is_audited_and_vulnerable() -> None:
    document = project("2.0.0", [advisory("GHSA-aaaa-bbbb-cccc", ["2.0.1"], aliases=["CVE-1"])])
    verdict = audit.judge_latest_release("lib", "2.0.0", document, set())
    assert verdict.audited
    assert [(v.package, v.id, v.fixed_in) for v in verdict.vulnerabilities] == [
        ("lib", "GHSA-aaaa-bbbb-cccc", ("2.0.1",))
    ]


def test_an_older_installed_version_is_not_checked_even_when_latest_is_clean() -> None:
    """The project document's advisories say nothing about 1.0, only about 2.0."""
    verdict = audit.judge_latest_release("lib", "1.0", project("2.0"), set())
    assert not verdict.audited
    assert verdict.reason == "latest release is 2.0"


def test_versions_compare_as_pep_440_not_as_text() -> None:
    assert audit.judge_latest_release("lib", "1.0", project("1.0.0"), set()).audited
    assert not audit.judge_latest_release("lib", "1.0", project("1.0.post1"), set()).audited


def test_a_withdrawn_advisory_does_not_count() -> None:
    document = project("1.0", [advisory("PYSEC-1", [], withdrawn="2026-01-02T00:00:00Z")])
    verdict = audit.judge_latest_release("lib", "1.0", document, set())
    assert verdict.audited
    assert verdict.vulnerabilities == ()


@pytest.mark.parametrize("ignored", ["GHSA-aaaa-bbbb-cccc", "CVE-2026-1"])
def test_an_ignored_id_matches_an_advisory_by_id_or_alias(ignored: str) -> None:
    document = project("1.0", [advisory("GHSA-aaaa-bbbb-cccc", [], aliases=["CVE-2026-1"])])
    verdict = audit.judge_latest_release("lib", "1.0", document, {ignored})
    assert verdict.audited
    assert verdict.vulnerabilities == ()


def test_ignored_ids_are_read_from_pip_audit_arguments() -> None:
    arguments = ["--ignore-vuln", "GHSA-1", "--ignore-vuln=PYSEC-2", "--strict"]
    assert audit.ignored_ids(arguments) == {"GHSA-1", "PYSEC-2"}


def test_pip_audit_report_splits_audited_from_skipped_and_leaves_the_register_out() -> None:
    report = {
        "dependencies": [
            {"name": "agenda-register", "skip_reason": "distribution marked as editable"},
            {"name": "aiofiles", "skip_reason": "Dependency not found on PyPI …"},
            {
                "name": "lib",
                "version": "1.0",
                "vulns": [{"id": "PYSEC-9", "fix_versions": ["1.1"], "aliases": []}],
            },
            {"name": "ok", "version": "2.0", "vulns": []},
        ]
    }
    audited, skipped = audit.read_pip_audit(report)
    assert skipped == ["aiofiles"]
    assert [(v.package, v.audited) for v in audited] == [("lib", True), ("ok", True)]
    assert [(v.id, v.fixed_in) for v in audited[0].vulnerabilities] == [("PYSEC-9", ("1.1",))]


def test_fallback_sorts_packages_into_audited_and_not_checked() -> None:
    documents: Mapping[str, dict[str, Any]] = {
        "current": project("5.0"),
        "stale": project("5.0"),
        "bad": project("1.0", [advisory("GHSA-x", ["1.0.1"])]),
    }

    def fetch(name: str) -> Mapping[str, Any]:
        if name == "offline":
            raise OSError("connection refused")
        return documents[name]

    installed = {"current": "5.0", "stale": "4.9", "bad": "1.0", "offline": "3.0"}
    result = audit.combine([], audit.audit_from_latest_releases(installed, set(), fetch))
    assert [v.package for v in result.by_latest_release] == ["bad", "current"]
    assert [(v.package, v.reason) for v in result.not_checked] == [
        ("offline", "PyPI not reachable: connection refused"),
        ("stale", "latest release is 5.0"),
    ]
    assert [(v.package, v.id) for v in result.vulnerabilities] == [("bad", "GHSA-x")]


def test_summary_counts_each_source_and_names_what_was_not_checked() -> None:
    found = audit.Vulnerability("bad", "1.0", "GHSA-x", ("1.0.1",))
    result = audit.Audit(
        by_pip_audit=[audit.Verdict("a", "1", audited=True)],
        by_latest_release=[audit.Verdict("bad", "1.0", audited=True, vulnerabilities=(found,))],
        not_checked=[audit.Verdict("stale", "4.9", audited=False, reason="latest release is 5.0")],
    )
    lines = audit.summary(result)
    assert lines[0] == "VULNERABLE bad 1.0: GHSA-x (fixed in 1.0.1)"
    assert lines[1] == (
        "dependency audit: 1 package(s) audited by pip-audit, 1 by PyPI's latest-release data, "
        "1 not checked; 1 known vulnerability(ies)."
    )
    assert lines[2].startswith("WARNING: the dependency audit is incomplete: 1 package(s)")
    assert "stale 4.9 (latest release is 5.0)" in lines[2]


def test_exit_status_fails_on_a_vulnerability_and_on_an_incomplete_audit_when_required() -> None:
    clean = audit.Audit(by_latest_release=[audit.Verdict("ok", "1", audited=True)])
    incomplete = audit.Audit(not_checked=[audit.Verdict("old", "1", audited=False)])
    found = audit.Vulnerability("bad", "1", "GHSA-x", ())
    vulnerable = audit.Audit(by_pip_audit=[audit.Verdict("bad", "1", True, (found,))])
    assert audit.exit_status(clean, require_complete=True) == 0
    assert audit.exit_status(incomplete, require_complete=False) == 0
    assert audit.exit_status(incomplete, require_complete=True) == 1
    assert audit.exit_status(vulnerable, require_complete=False) == 1
