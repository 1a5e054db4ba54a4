"""The unit of work: load an instance -> act on it in the engine -> save state, projections, case fields and
ledger entries in one transaction (workflow.py, operation.py, projections.py), what BPMN expressions see
(scripting.py), each user task's SLA clock as its policy says (sla.py, evaluated at save), the deployed
versions cases run on (versions.py), and the one transaction boundary every service writes in (transaction.py).

Imports: the base modules of app.cases (errors, ledger, policy, reference, sql, notifications) and people/.
"""
