"""Audit the installed packages for known vulnerabilities with pip-audit, and say plainly how
much of the environment could actually be audited.

pip-audit asks PyPI's JSON API for each installed version's advisories. A package it cannot look
up is skipped with a reason, and pip-audit still ends with "No known vulnerabilities found":
this script counts those skips, so that an audit that checked nothing never passes for a clean
one.

Exit status: 1 when a known vulnerability is found (those listed with --ignore-vuln aside, each
with its reason in .ci/run); 1 when pip-audit cannot run at all; when some packages could not be
looked up (the service unreachable), a warning and 0, or 1 if REGISTER_REQUIRE_AUDIT=1. Extra
arguments go to pip-audit (e.g. --ignore-vuln GHSA-…).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


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
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d and d["name"] != "agenda-register"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} "
                f"(fixed in {fixes})",
                file=sys.stderr,
            )
    print(
        f"pip-audit: {len(audited)} installed package(s) audited, {len(vulnerable)} with a "
        f"known vulnerability, {len(skipped)} could not be looked up.",
        file=sys.stderr,
    )
    if vulnerable:
        return 1
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        print(
            "WARNING: the dependency audit is incomplete: "
            + ", ".join(d["name"] for d in skipped[:8])
            + (" …" if len(skipped) > 8 else "")
            + f" could not be checked ({'; '.join(reasons)}). Run .ci/run where "
            "https://pypi.org/pypi/<package>/<version>/json answers, or set "
            "REGISTER_REQUIRE_AUDIT=1 to make this a failure.",
            file=sys.stderr,
        )
        return 1 if os.environ.get("REGISTER_REQUIRE_AUDIT", "") not in {"", "0"} else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
