"""Every script, condition and expression runs on a budget; task data holds JSON values only."""

import time

import pytest

from app import engine
from app.engine.errors import ScriptBudgetError, ScriptDataError
from app.engine.scripts.budget import LINT_ITERATIONS, MAX_ITERATIONS, step_budget
from app.engine.scripts.data_check import check_task_data
from app.engine.scripts.sandbox import RestrictedEnvironment, compile_script
from tests.unit.bpmn_factory import linear, timer_boundary
from tests.unit.engine_env import HELPERS, unit_script_engine

LOOP_FOREVER = "n = 1\nwhile n != 0:\n    n = n + 1"


def _script_task(script: str) -> bytes:
    return linear(f'<bpmn:scriptTask id="t" name="Plan"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>')


def _user_task_then_script(script: str) -> bytes:
    return linear(
        '<bpmn:userTask id="t"/><bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="plan"/>'
        f'<bpmn:scriptTask id="plan"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>'
    ).replace(b'sourceRef="t" targetRef="end"', b'sourceRef="plan" targetRef="end"')


def _start(xml: bytes):
    parsed = engine.parse_bpmn(xml, "t.bpmn")
    return engine.start_instance(parsed.spec, parsed.subprocess_specs, unit_script_engine())


def _quickly(action, limit=2.5):
    began = time.monotonic()
    with pytest.raises(engine.ScriptError) as caught:
        action()
    assert time.monotonic() - began < limit
    return str(caught.value)


def test_a_script_task_that_loops_forever_fails_within_the_budget_naming_the_element():
    message = _quickly(lambda: _start(_script_task("while True:\n    pass")))
    assert message == f"script task 't': more than {MAX_ITERATIONS} loop iterations"


def test_completing_a_task_into_an_endless_loop_fails_naming_the_script_task():
    workflow = _start(_user_task_then_script(LOOP_FOREVER))
    (task,) = engine.ready_human_tasks(workflow)
    message = _quickly(lambda: engine.complete_task(workflow, task.id, {}))
    assert message.startswith("script task 'plan': more than")


def test_a_loop_whose_iterations_are_slow_is_stopped_by_the_wall_clock():
    env = RestrictedEnvironment()
    began = time.monotonic()
    with step_budget(seconds=0.3), pytest.raises(ScriptBudgetError, match=r"more than 0\.3 s of run time"):
        env.execute("big = [0] * 1000000\nn = 1\nwhile n != 0:\n    n = n + (1 if -1 not in big else 0)", {})
    assert time.monotonic() - began < 1.5


def test_catching_the_budget_error_inside_the_script_does_not_save_it():
    script = "n = 0\ntry:\n    while True:\n        n += 1\nexcept Exception:\n    pass\nafter = 1"
    message = _quickly(lambda: _start(_script_task(script)))
    assert "script task 't'" in message and "loop iterations" in message


def test_recursion_without_loops_still_ticks_for_every_call():
    script = "def f(n):\n    return 1 if n == 0 else f(n - 1) + f(n - 1)\nx = f(40)"
    assert "loop iterations" in _quickly(lambda: _start(_script_task(script)))


def test_a_timer_expression_over_budget_fails_at_run_time_naming_the_timer():
    message = _quickly(lambda: _start(timer_boundary("sum(range(10**12))")), limit=1)
    assert "'late'" in message and "a range of more than 1000000 elements" in message


def test_lint_rejects_a_timer_expression_over_budget_without_hanging():
    parsed = engine.parse_bpmn(timer_boundary("sum(range(10**12))"), "t.bpmn")
    began = time.monotonic()
    found = [(p.element, p.message) for p in engine.lint_process(parsed, [], [], helpers=HELPERS)]
    assert time.monotonic() - began < 1
    assert [e for e, m in found if "exceeds the script budget" in m] == ["late"]


def test_lint_evaluates_under_its_own_smaller_budget():
    parsed = engine.parse_bpmn(timer_boundary(f"'P' + str(len([i for i in range({LINT_ITERATIONS + 1})])) + 'D'"), "t.bpmn")
    (problem,) = engine.lint_process(parsed, [], [], helpers=HELPERS)
    assert problem.element == "late" and f"more than {LINT_ITERATIONS} loop iterations" in problem.message


def test_lint_reports_a_script_assignment_over_budget_and_never_runs_the_scripts_loops():
    script = "x = sum(range(10**12))\nwhile True:\n    pass"
    began = time.monotonic()
    found = [(p.element, p.message) for p in engine.lint_process(engine.parse_bpmn(_script_task(script), "t.bpmn"), [], [])]
    assert time.monotonic() - began < 1
    assert ("t", "script assignment 'sum(range(10 ** 12))' exceeds the script budget: "
                 "a range of more than 1000000 elements") in found
    assert ("t", "the loop on line 2 never ends (while without break)") in found


def test_lint_accepts_a_while_true_loop_that_breaks():
    script = "n = 0\nwhile True:\n    n += 1\n    if n == 3:\n        break"
    assert engine.lint_process(engine.parse_bpmn(_script_task(script), "t.bpmn"), [], []) == []


@pytest.mark.parametrize("source, exceeded", [
    ("2**(10**9) % 7", "an integer of more than 10000 bits"),
    ("pow(2, 10**9)", "an integer of more than 10000 bits"),
    ("1 << 10**9", "an integer of more than 10000 bits"),
    ("'a' * 10**10", "a result of more than 1000000 items"),
    ("[0] * 10**9", "a result of more than 1000000 items"),
    ("10**10 * (0,)", "a result of more than 1000000 items"),
    ("sum(range(10**12))", "a range of more than 1000000 elements"),
    ("'x'.ljust(10**10)", "a result of more than 1000000 characters"),
    ("'x'.zfill(10**10)", "a result of more than 1000000 characters"),
    ("('a' * 1000).replace('a', 'b' * 10000)", "a result of more than 1000000 characters"),
    ("f'{1:>{10**9}}'", "a format width of more than 1000000"),
    ("'%*d' % (10**9, 1)", "a format width of more than 1000000"),
    ("len(','.join(map(str, range(200000))))", "loop iterations"),
    ("sorted([0] * 1000000)", "loop iterations"),
    ("str([[0] * 10**6] * 99999)", "a result of more than 1000000 items"),
])
def test_expressions_that_would_exhaust_memory_or_cpu_fail_fast(source, exceeded):
    began = time.monotonic()
    with pytest.raises(ScriptBudgetError, match=exceeded):
        RestrictedEnvironment().evaluate(source, {})
    assert time.monotonic() - began < 0.5


@pytest.mark.parametrize("script", [
    "s = 'ab' * 1000\nfor i in range(20):\n    s = s + s",
    "s = [1] * 1000\nfor i in range(20):\n    s *= 2",
    "s = [1] * 1000\nfor i in range(20):\n    s.extend(s)",
])
def test_doubling_in_a_short_loop_is_refused_by_size(script):
    with pytest.raises(ScriptBudgetError, match="a result of more than 1000000"):
        RestrictedEnvironment().execute(script, {})


def test_ordinary_expressions_still_work():
    env = RestrictedEnvironment(HELPERS)
    data = {"category": "complaint", "severity": 4, "items": list(range(1000))}
    assert env.evaluate("category == 'complaint' and severity >= 3", data) is True
    assert env.evaluate("[x * 2 for x in items if x % 2 == 0][-1]", data) == 1996
    assert env.evaluate("{x: x + 1 for x in items}[999]", data) == 1000
    assert env.evaluate("f'{category}-{severity:03d}-{1.5:.2f}'", data) == "complaint-004-1.50"
    assert env.evaluate("sum(items) + max(items) + len(sorted(items)) + 2 ** 10 + (1 << 3)", data) == 499500 + 999 + 1000 + 1032
    assert env.evaluate("', '.join(str(i) for i in range(3)) + '!' * 3", data) == "0, 1, 2!!!"
    assert env.evaluate("list(enumerate(map(str.upper, ['a', 'b'])))", data) == [(0, "A"), (1, "B")]
    assert env.evaluate("max('b' * 200000, 'a' * 200000)[0]", data) == "b"  # two values compared, nothing iterated
    assert env.evaluate("working_days(10)", data)  # an ISO moment, ten working days on


@pytest.mark.parametrize("source", ["str(y)", "repr(y)", "f'{y}'", "f'{y!r:>10}'", "'%s' % (y,)"])
def test_printing_a_list_that_shares_a_large_list_many_times_is_refused(source):
    data = {"x": [0] * 10**6}
    env = RestrictedEnvironment()
    with step_budget() as budget:
        data["y"] = env.evaluate("[x for _ in range(99000)]", data)
        assert budget.left > 0
    with pytest.raises(ScriptBudgetError, match="a text of more than 1000000 characters"):
        env.evaluate(source, data)


def test_builtin_types_stay_types_for_isinstance():
    env = RestrictedEnvironment()
    assert env.evaluate("isinstance('a', str) and isinstance([], list) and isinstance({}, dict) and not isinstance(1, str)", {})
    assert env.evaluate("[str(1), str(), str.upper('a'), repr('b')]", {}) == ["1", "", "A", "'b'"]
    assert type(env.evaluate("str(1)", {})) is str


def test_each_engine_step_gets_a_fresh_budget():
    script = f"total = sum(1 for _ in range({MAX_ITERATIONS // 2}))"
    workflow = _start(_user_task_then_script(script))
    (task,) = engine.ready_human_tasks(workflow)
    engine.complete_task(workflow, task.id, {})
    assert engine.is_completed(workflow)


@pytest.mark.parametrize("script, left", [
    ("x = (i for i in [1, 2])", "a generator"),
    ("x = 'a'.encode()", "bytes"),
    ("x = {1, 2}", "a set"),
    ("x = [1, {'k': {2}}]", "a set"),
    ("x = 2 ** 4000\nfor i in range(12000):\n    x = x + x", "an integer of more than 4300 digits"),
    ("x = {1: 'a'}", "a dict with the int key 1"),
])
def test_a_script_that_leaves_a_non_json_value_fails_naming_the_element_and_variable(script, left):
    with pytest.raises(ScriptDataError) as caught:
        _start(_script_task(script))
    assert str(caught.value) == (f"script task 't' left 'x' as {left}; "
                                 "task data holds JSON values only (str, int, float, bool, None, list, dict)")


def test_json_values_and_serializer_types_pass_the_data_check():
    from datetime import UTC, datetime

    check_task_data({"s": "x", "n": 10**4000, "f": 1.5, "b": True, "none": None, "l": [1, (2, 3)], "d": {"k": {"j": []}},
                     "at": datetime(2026, 1, 1, tzinfo=UTC)})
    with pytest.raises(ScriptDataError, match="'f' as the float nan"):
        check_task_data({"f": float("nan")})


def test_the_guards_keep_the_compiled_code_cached_per_source():
    compile_script.cache_clear()
    compile_script(LOOP_FOREVER)
    compile_script(LOOP_FOREVER)
    assert compile_script.cache_info().hits == 1


def test_a_due_expression_is_evaluated_under_the_lint_budget_it_passed():
    workflow = _start(linear('<bpmn:userTask id="t"/>'))
    (task,) = engine.ready_human_tasks(workflow)
    assert engine.evaluate_in_task(workflow, task.id, f"sum(1 for _ in range({LINT_ITERATIONS // 2}))") == LINT_ITERATIONS // 2
    with pytest.raises(ScriptBudgetError, match=f"user task 't': more than {LINT_ITERATIONS} loop iterations"):
        engine.evaluate_in_task(workflow, task.id, f"sum(1 for _ in range({LINT_ITERATIONS * 2}))")


# The three bombs an attack found (each held a worker for seconds, one for a gigabyte): bounded now.
@pytest.mark.parametrize(("script", "exceeded"), [
    ("s = 'a' * 1000\nr = s.translate({97: 'b' * 1000000})", "a result of more than 1000000 characters"),
    ("big = [0] * 1000000\na = [big for _ in range(2000)]\nb = [big for _ in range(2000)]\nsame = a == b",
     "comparing containers of more than 1000000 elements in all"),
    ("big = [0] * 1000000\na = [big for _ in range(2000)]\nfound = [1] in a", "comparing containers of more than 1000000"),
    ("big = (0,) * 1000000\nh = hash((big, big, big))", "comparing containers of more than 1000000"),
    ("big = [0] * 1000000\ns = sorted([big for _ in range(2000)])", "comparing containers of more than 1000000"),
])
def test_one_c_call_over_shared_or_long_content_is_refused_before_it_runs(script, exceeded):
    began = time.monotonic()
    with pytest.raises(ScriptBudgetError, match=exceeded):
        RestrictedEnvironment().execute(script, {})
    assert time.monotonic() - began < 1.0


@pytest.mark.parametrize("source", ["working_days(10**9)", "calendar_days(10**9)", "working_days(-1)", "within(10**9)",
                                    "working_days(1.5)"])
def test_the_deadline_helpers_refuse_periods_past_ten_years_at_once(source):
    began = time.monotonic()
    with pytest.raises(ValueError, match=r"days"):
        RestrictedEnvironment(HELPERS).evaluate(source, {})
    assert time.monotonic() - began < 0.5


def test_many_medium_objects_kept_alive_fail_at_the_memory_ceiling():
    script = "kept = []\nfor i in range(1000):\n    kept.append('x' * 900000 + str(i))"  # ~1 GB if it ran to the end
    began = time.monotonic()
    with step_budget(), pytest.raises(ScriptBudgetError, match="more than 256 MB of memory"):
        RestrictedEnvironment().execute(script, {})
    assert time.monotonic() - began < 4.0


def test_comparing_ordinary_data_still_works_and_costs_little():
    env = RestrictedEnvironment()
    data = {"items": list(range(100000)), "names": ["张三", "李四"] * 1000, "nested": [[1, 2], [3, 4]]}
    assert env.evaluate("99999 in items and '李四' in names and [3, 4] in nested and sorted(nested)[0] == [1, 2]", data)
    began = time.monotonic()
    for _ in range(20):
        env.evaluate("-1 in items", data)
    assert time.monotonic() - began < 1.0
