"""The script environment: what runs the Python a diagram holds (script tasks, pre- and post-scripts, conditions,
expressions) -- compiled by RestrictedPython (sandbox.py), its builtins guarded (guarded_calls.py) and every step
held to a budget of iterations, time, memory and nesting (budget.py, memory.py, nested.py); the task data a
script leaves must be JSON values (data_check.py)."""
