"""One delivery round: rows left sending by a sender that stopped become uncertain, then due messages are taken
(a few at a time, committed as sending before anything leaves), sent, and recorded as sent or failed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app

from app.cases.messages.delivery_states import claim_due, mark_failed, mark_sent, mark_uncertain_after

from .outgoing import TransportError, transport_for

log = logging.getLogger(__name__)
BATCH = 5  # taken at once: a sender holds at most this many while it sends


@dataclass
class Round:
    sent: int = 0
    failed: int = 0
    uncertain: int = 0


def deliver_due(rounds: int = 20) -> Round:
    """Send what is due, up to `rounds` batches; returns what happened."""
    config = current_app.config
    lease = 2 * BATCH * config["MINYI_MESSAGE_SEND_TIMEOUT"] + 60
    done = Round(uncertain=mark_uncertain_after(lease))
    for _ in range(rounds):
        batch = claim_due(BATCH)
        for message in batch:
            try:
                transport_for(message.channel, config).send(message)
            except Exception as exc:  # whatever stopped it, this message is tried again and the batch goes on
                problem = str(exc) if isinstance(exc, TransportError) else f"{type(exc).__name__}: {exc}"
                status = mark_failed(message, problem)
                done.failed += 1
                log.warning("message %s (%s to case %s) not sent, attempt %s, now %s: %s", message.id, message.kind,
                            message.case_id, message.attempts, status or "claimed by another sender", problem)
            else:
                mark_sent(message)
                done.sent += 1
        if len(batch) < BATCH:
            break
    return done
