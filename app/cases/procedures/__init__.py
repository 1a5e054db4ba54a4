"""Procedures: process versions and their bundles, the catalogue, and how they change — the workbench's
working copies and forms, the diff of two versions, and migrating running cases (with rollback)."""
