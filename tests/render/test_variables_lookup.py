"""``{{< var >}}`` paths resolve by Quarto's rule in the built-in renderer too."""

from __future__ import annotations

import pytest

from pipeline.render.variables import lookup

VARIABLES = {
    "effect": {
        "top": [{"label": "Tydelig formål", "d": "0,85"}, {"label": "Felles ansvar", "d": "0,7"}],
        "numbered": {"1": {"label": "mapping key '1'"}, 2: {"label": "mapping key 2"}},
        "gtei": "5,06",
    },
    "a.b": "literal dot",
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("effect.top.1.label", "Tydelig formål"),  # a number is a 1-based list index
        ("effect.top.2.d", "0,7"),
        ("effect.top.0.label", None),  # Lua lists start at 1
        ("effect.top.3.label", None),
        ("effect.top.-1.label", None),
        ("effect.numbered.1.label", None),  # Quarto looks up the number 1, not the key '1'
        ("effect.numbered.2.label", None),
        ("effect.top.label", None),  # a name does not index a list
        ("effect.gtei", "5,06"),
        ("effect.gtei.x", None),
        ("a\\.b", "literal dot"),  # \. keeps the dot in the key
        ("missing.key", None),
    ],
)
def test_paths_resolve_the_quarto_way(path: str, expected: str | None) -> None:
    assert lookup(VARIABLES, path) == expected
