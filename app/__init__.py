"""Minyi."""
