"""Procedures: process versions and their bundles (processes.py, bundles.py), task forms and their definitions
(forms.py, form_definitions.py), lanes and the groups they map to (lanes.py), the catalogue of which process a
category starts (catalogue.py), and how they change — the workbench's working copies (workbench.py, saving.py),
the diff of two versions (versions_diff.py), migrating running cases, with rollback (migration*.py), and trying a
version on past cases before it goes live (whatif/).

Imports: uow/ (running cases are loaded and saved through it), people/ and the base modules."""
