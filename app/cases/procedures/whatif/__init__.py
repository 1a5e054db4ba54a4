"""Trying a version on past cases before it goes live: the replay itself (replay.py: the newest few hundred while a
page waits, or all of them) and the runs the scheduler does for all the cases of the weeks asked for (runs.py)."""

from .replay import DEFAULT_WEEKS, MAX_CASES, MAX_WEEKS, check_request, page_limit, replay, what_if
from .runs import get_run, recent_runs, request_run, run_next, run_view

__all__ = ["DEFAULT_WEEKS", "MAX_CASES", "MAX_WEEKS", "check_request", "get_run", "page_limit", "recent_runs", "replay",
           "request_run", "run_next", "run_view", "what_if"]
