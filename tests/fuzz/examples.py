"""How many cases each fuzz test runs: `REGISTER_FUZZ_EXAMPLES` cases per property (a longer
run is `REGISTER_FUZZ_EXAMPLES=20000 pytest tests/fuzz`), a default kept within the suite's time
budget, and a fixed seed by default so that a CI failure replays (set `REGISTER_FUZZ_RANDOM=1` to
explore new cases)."""

import os

from hypothesis import HealthCheck, settings

DEFAULT_EXAMPLES = 300


def examples(default: int = DEFAULT_EXAMPLES) -> int:
    """The number of cases per property for this run."""
    return int(os.environ.get("REGISTER_FUZZ_EXAMPLES", default))


def fuzz_settings(default: int = DEFAULT_EXAMPLES) -> settings:
    """Hypothesis settings of a fuzz property: no wall-clock deadline (the machine is shared;
    each test bounds CPU time itself), no example database left behind."""
    return settings(
        max_examples=examples(default),
        deadline=None,
        database=None,
        derandomize=os.environ.get("REGISTER_FUZZ_RANDOM") != "1",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
