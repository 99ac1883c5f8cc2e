"""The arrival rule alone: which story an entry joins, from its scored candidates."""

from __future__ import annotations

from clipdiary.stories.rule import RULE, Decision, decide

STRONG = RULE.strong + 0.05
JOIN = RULE.join + 0.01
WEAK = min(RULE.join, RULE.support) - 0.05


def test_an_entry_with_no_close_candidate_joins_nothing() -> None:
    assert decide([(1, WEAK), (2, WEAK)], {}, {}) == Decision(None)


def test_a_close_lone_entry_starts_a_story_with_it() -> None:
    assert decide([(1, JOIN), (2, WEAK)], {}, {}).join == -1


def test_the_best_supported_story_is_joined() -> None:
    story_of = {1: 10, 2: 10, 3: 20}
    decision = decide([(1, JOIN), (2, JOIN), (3, JOIN)], story_of, {10: 2, 20: 1})
    assert decision.join == 10


def test_one_close_member_is_not_enough_to_join_a_large_story() -> None:
    story_of = {1: 10, 2: 10}
    sizes = {10: 5}
    assert decide([(1, JOIN), (2, WEAK)], story_of, sizes).join is None
    # ...unless it is very close, or a second member supports it.
    assert decide([(1, STRONG), (2, WEAK)], story_of, sizes).join == 10
    assert decide([(1, JOIN), (2, RULE.support + 0.01)], story_of, sizes).join == 10


def test_an_entry_close_to_two_stories_merges_them() -> None:
    story_of = {1: 10, 2: 20}
    decision = decide([(1, STRONG), (2, RULE.merge + 0.01)], story_of, {10: 2, 20: 2})
    assert decision.join == 10
    assert decision.merge == (20,)


def test_a_story_holding_an_entry_kept_apart_is_never_joined() -> None:
    story_of = {1: 10, 2: 20}
    decision = decide([(1, STRONG), (2, JOIN)], story_of, {10: 2, 20: 2}, forbidden={10})
    assert decision.join == 20
