"""Saving an edited copy (a diagram, a form) against the copy its editor read: the later of two saves fails."""

from __future__ import annotations

from contextlib import AbstractContextManager

from ..transaction import transaction


def saving_copy(what: str) -> AbstractContextManager[None]:
    """A transaction for the block; a row saved by someone else meanwhile (its lock version moved) is a
    conflict naming `what`, and any failure rolls everything back."""
    return transaction(on_stale=f"someone saved this {what} meanwhile; reload it and apply your change again")
