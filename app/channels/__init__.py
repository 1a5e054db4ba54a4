"""The doors to the public and the wires out: each maps its input onto the typed appeal (app.cases.intake) or
delivers what the outbox holds (app.cases.messages), with no business rules of its own.

- outgoing.py: the transports (SMTP, an SMS HTTP gateway, the local mail folder when neither is configured);
- delivery.py: one delivery round: take due messages, send each, record what happened.

Imports: app.cases (services) and the models; never app.web.
"""
