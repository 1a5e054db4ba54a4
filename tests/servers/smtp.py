"""A real SMTP server on loopback (aiosmtpd), keeping what it accepts; `refuse` makes it answer 451 (try later)."""

from __future__ import annotations

import email
import socket
from email import policy

from aiosmtpd.controller import Controller


class Collector:
    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 mailbox busy, try again later"
        self.received.append(email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self):
        self.collector = Collector()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self):
        return self.collector.received

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
