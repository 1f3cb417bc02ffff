"""Which models may render a licence's generations: the registry an offer's `model_name` is
checked against. Generation registers its configured models at startup (`generation.apps`), so
licensing (and the marketplace's offers above it) validate a name without importing generation."""
from __future__ import annotations

from collections.abc import Callable

_source: Callable[[], dict[str, str]] | None = None


def register(source: Callable[[], dict[str, str]]) -> None:
    """`source()` returns {model name: a description a person reads}."""
    global _source
    _source = source


def known() -> dict[str, str]:
    return dict(_source()) if _source is not None else {}


def check(name: str) -> str:
    """The name ('' is the deployment's own model), or InvalidInput naming the choices."""
    from accounts.errors import InvalidInput

    name = (name or "").strip()
    if not name:
        return ""
    models = known()
    if name not in models:
        choices = ", ".join(sorted(models)) or "none is configured"
        raise InvalidInput(f"Unknown model {name[:64]!r}: leave it empty for the deployment's model, or choose one of: {choices}.")
    return name
