"""`minyi calendar deadline` and the organisation's overrides, through the CLI."""

import pytest


def deadline(runner, *args):
    result = runner.invoke(args=["calendar", "deadline", *args])
    return result.exit_code, result.output.strip()


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--start", "2026-09-30T10:00", "--working-days", "5"], "2026-10-13T23:59:59+08:00"),
        (["--start", "2026-09-30T02:00:00+00:00", "--working-days", "5"], "2026-10-13T23:59:59+08:00"),
        (["--start", "2026-02-13", "--working-days", "2"], "2026-02-24T23:59:59+08:00"),
        (["--start", "2026-09-26T09:00", "--days", "5"], "2026-10-08T23:59:59+08:00"),
        (["--start", "2026-12-28T09:00", "--working-days", "5"], "2027-01-04T23:59:59+08:00 provisional"),
        (["--start", "2015-09-30T09:00", "--days", "15"], "2015-10-15T23:59:59+08:00"),
    ],
)
def test_deadlines_are_printed_in_local_time_with_offset(runner, app, args, expected):
    assert deadline(runner, *args) == (0, expected)


@pytest.mark.parametrize(
    "args",
    [
        ["--start", "yesterday", "--days", "5"],
        ["--start", "2026-01-05"],
        ["--start", "2026-01-05", "--days", "5", "--working-days", "5"],
        ["--start", "2026-01-05", "--days", "-1"],
    ],
)
def test_bad_arguments_fail_with_a_message(runner, app, args):
    code, output = deadline(runner, *args)
    assert code != 0 and output


def test_an_override_moves_deadlines_and_can_be_removed(runner, app):
    before = deadline(runner, "--start", "2026-03-02", "--working-days", "1")
    added = runner.invoke(args=["calendar", "override", "add", "2026-03-03", "--rest", "--note", "台风停工"])
    assert added.exit_code == 0, added.output
    assert deadline(runner, "--start", "2026-03-02", "--working-days", "1") == (0, "2026-03-04T23:59:59+08:00")
    assert "2026-03-03  rest" in runner.invoke(args=["calendar", "override", "list"]).output
    assert runner.invoke(args=["calendar", "override", "add", "2026-03-03", "--working"]).exit_code == 1
    assert runner.invoke(args=["calendar", "override", "remove", "2026-03-03"]).exit_code == 0
    assert deadline(runner, "--start", "2026-03-02", "--working-days", "1") == before
    assert runner.invoke(args=["calendar", "override", "remove", "2026-03-03"]).exit_code == 1
