"""Reading ``/metrics`` in tests: the samples of a scrape by name and labels, and what changed between two."""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    """Every sample of a Prometheus text scrape, keyed by ``(sample name, labels)``."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample ``name{labels}`` (0 when the scrape does not have it)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    """How much ``name{labels}`` grew from ``before`` to ``after``."""
    return value(after, name, **labels) - value(before, name, **labels)


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of ``name`` over every series whose labels include ``labels``."""
    wanted: Mapping[str, str] = labels
    return sum(
        v
        for (sample, series), v in samples.items()
        if sample == name and all((k, w) in series for k, w in wanted.items())
    )
