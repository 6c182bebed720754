"""Every URL in the project, every persona: the outcome is declared, and it holds."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.matrix import entries

MATRIX = entries()


def _url_names(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>"


ALL_URL_NAMES = sorted(set(_url_names()))


def test_every_url_pattern_has_an_expected_outcome_for_every_persona():
    missing = [name for name in ALL_URL_NAMES if name not in MATRIX]
    assert not missing, f"URL patterns missing from tests/matrix: {missing}"
    stale = [name for name in MATRIX if name not in ALL_URL_NAMES]
    assert not stale, f"tests/matrix names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_declared_outcome(name, world, client_for):
    case = MATRIX[name]
    outcomes = {}
    for persona in PERSONAS:
        kwargs = case.kwargs(world) if case.kwargs else None
        response = client_for(persona).get(reverse(name, kwargs=kwargs))
        outcomes[persona] = response.status_code
    assert outcomes == case.expect
