"""coopctl/sharing.py: `shared` interns the short texts of a file's data in place and changes
nothing else (generated documents)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from coopctl.sharing import SHORT, shared

TEXTS = st.text(max_size=80)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXTS, inner, max_size=5),
    max_leaves=40,
)


@given(st.dictionaries(TEXTS, VALUES, max_size=8))
def test_shared_data_is_equal_and_of_the_same_types(data: dict[str, Any]) -> None:
    before = copy.deepcopy(data)
    assert shared(data) is data
    assert data == before
    assert json.dumps(data) == json.dumps(before)  # also in order and in type (1 vs 1.0)


def test_equal_short_texts_become_one_object_and_long_ones_stay_apart() -> None:
    short = "".join(["stadt-", "augsburg"])
    long = "x" * (SHORT + 1)
    first = shared({"partners": [short], "note": long, "events": [{"partners": [short]}]})
    second = shared({"id": "".join(["stadt-", "augsburg"]), "note": "".join(["x"] * (SHORT + 1))})
    assert first["partners"][0] is first["events"][0]["partners"][0] is second["id"]
    assert first["note"] == second["note"] and first["note"] is not second["note"]
