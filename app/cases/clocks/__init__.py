"""Clocks: firing what is due — BPMN timers through the engine (timers.py) and SLA moments in batches without it
(sla_sweep.py) —, incidents of cases whose firing failed (incidents.py), holding and resuming a case
(hold.py), and the organisation's own calendar days (office_calendar.py). A task's clock is computed when the
task becomes ready, by its policy (uow/sla.py).

Imports: uow/, procedures/, people/ and the base modules.
"""
