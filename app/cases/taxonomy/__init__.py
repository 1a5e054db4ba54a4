"""What and where: the topic taxonomy and the areas (trees.py), and the dispatch table that suggests the department
for a topic in an area (dispatch.py).

Imports: the base modules only (policy, errors, reference, transaction).
"""
