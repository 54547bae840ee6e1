"""The error hierarchy's messages, pinned in full."""

from __future__ import annotations

from maplayout.errors import PlaceNotFoundError, PlanError, PlanProblem, closest


def test_place_not_found_message() -> None:
    err = PlaceNotFoundError("株州", ["株洲市", "郴州市"])
    assert str(err) == "unknown place '株州'; closest: 株洲市, 郴州市"


def test_plan_problem_message_with_line_and_choices() -> None:
    p = PlanProblem(
        "plan.yaml",
        "units[0].role",
        "unknown role 'cor'",
        line=12,
        expected="one of core, corridor, node",
        suggestions=["core", "corridor"],
    )
    assert str(p) == (
        "plan.yaml:12: units[0].role: unknown role 'cor'; "
        "expected one of core, corridor, node; closest: core, corridor"
    )


def test_plan_error_counts_all_problems() -> None:
    probs = [PlanProblem("p.yaml", f"a{i}", "bad") for i in range(3)]
    assert str(PlanError(probs)) == "p.yaml: a0: bad (and 2 more problems)"
    assert PlanError(probs).exit_code == 2


def test_closest_prefers_similar_names() -> None:
    assert closest("corridr", ["core", "corridor", "node"]) == ["corridor", "core"]


def test_closest_prefers_a_shared_first_character() -> None:
    assert closest("株州", ["靖州", "郴州", "株洲", "贵州", "长沙"]) == ["株洲", "靖州", "郴州"]


def test_traditional_uses_standard_forms() -> None:
    from maplayout.geo.names import to_hant

    assert to_hant("为双峰县") == "為雙峰縣"
