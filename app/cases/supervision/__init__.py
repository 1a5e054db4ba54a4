"""Supervision: the supervisor console's views and counts (console.py, console_page.py), stalled work
(stalled.py), workload per handler and department (workload.py), supervision notices and escalation
(notices.py), objections to a routing and re-routing (routing.py).

Imports: lists/ and everything below it; never work/ or intake/.
"""
