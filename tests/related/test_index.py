"""The in-memory index finds what an exhaustive search over the same rows finds."""

from __future__ import annotations

import numpy as np

from clipdiary.related.index import VectorIndex


def test_nearest_earlier_matches_brute_force_with_removed_rows_and_ties() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(3000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(16)
    created = {i + 1: 1000 + i // 3 for i in range(3000)}  # three entries a second
    for i, vector in enumerate(vectors):
        index.add(i + 1, created[i + 1], vector)
    removed = set(range(1, 3001, 7))
    for entry_id in removed:
        index.remove(entry_id)
    # The query is among the best matches of itself: a copy of entry 2500 written later.
    query, point = vectors[2499], (created[2501], 2501)
    expected = sorted(
        (
            (entry_id, float(vectors[entry_id - 1] @ query))
            for entry_id in created
            if entry_id not in removed and (created[entry_id], entry_id) < point
        ),
        key=lambda pair: -pair[1],
    )[:30]
    for found in (
        index.nearest(query, limit=30, earlier_than=point),
        index.nearest_earlier([(2501, point[0], query)], limit=30)[0],
    ):
        assert [entry_id for entry_id, _ in found] == [entry_id for entry_id, _ in expected]
    # Removing the best rows does not leave the list short.
    for entry_id, _ in expected[:20]:
        index.remove(entry_id)
    assert len(index.nearest(query, limit=30, earlier_than=point)) == 30
    # A floor keeps out what scores below it, however few remain.
    floor = expected[25][1]
    floored = index.nearest(query, limit=30, earlier_than=point, floor=floor)
    assert [entry_id for entry_id, _ in floored] == [e for e, _ in expected[20:26]]
