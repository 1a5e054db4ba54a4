"""Make SpiffWorkflow's timers read Minyi's clock instead of the system clock."""

from __future__ import annotations

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

from app.clock import ClockDatetime


def install() -> None:
    spiff_timer.datetime = ClockDatetime
