"""The classifier's quality on the labelled corpus (tests/data/classification/) stays at the
issue's goals: interest-representative precision ≥ 0.95 and recall ≥ 0.90. `bench/classify`
prints the full figures."""

from bench.classify import CORPUS, quality
from bench.corpus import load_corpus


def test_interest_meetings_are_found_with_the_required_precision_and_recall() -> None:
    corpus = load_corpus(CORPUS)
    assert len(corpus.entries) >= 400

    measured = quality(corpus)

    interest = measured["per_kind"]["interest_representative"]  # type: ignore[index]
    assert interest["precision"] >= 0.95
    assert interest["recall"] >= 0.90
    organisations = measured["organisations"]
    assert organisations["precision"] >= 0.95  # type: ignore[index]
    assert organisations["recall"] >= 0.90  # type: ignore[index]
    private = measured["per_kind"]["private"]  # type: ignore[index]
    assert (private["precision"], private["recall"]) == (1.0, 1.0)
