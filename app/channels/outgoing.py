"""Transports: how one message leaves. E-mail over SMTP (MINYI_SMTP_URL), SMS as a JSON POST to an HTTP gateway
(MINYI_SMS_URL; docs/operations.md gives the payload), and, for whatever has no transport configured, the local
mail folder (a Maildir under MINYI_MAIL_DIR) that the admins' messages page lists. A transport raises
TransportError with a readable reason when the message did not leave."""

from __future__ import annotations

import ipaddress
import json
import mailbox
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from app.cases.messages.delivery_states import Outgoing


def on_loopback(host: str | None) -> bool:
    """Whether `host` is this machine (a password may cross loopback in clear, nothing else)."""
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class TransportError(Exception):
    """The message did not leave (the reason says why); it is tried again later."""


def message_id(message: Outgoing, sender: str) -> str:
    """A Message-ID that names the outbox row: the same on every attempt, and a reply's In-Reply-To finds the case."""
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<minyi.{message.id}.{message.case_id or 0}@{domain}>"


def email_of(message: Outgoing, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject or ""
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(message, sender) if message.id else make_msgid()
    mail["Content-Language"] = "zh-CN" if message.locale == "zh" else message.locale
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Minyi-Kind"] = message.kind or ""
    mail.set_content(message.body, charset="utf-8")
    return mail


class SmtpTransport:
    """smtp://user:password@host:port (STARTTLS when the server offers it, or always with ?starttls=1),
    smtps://... (TLS from the start)."""

    def __init__(self, url: str, sender: str, timeout: float):
        self.parts, self.sender, self.timeout = urlsplit(url), sender, timeout
        self.query = parse_qs(self.parts.query)

    def send(self, message: Outgoing) -> None:
        parts = self.parts
        secure = parts.scheme == "smtps"
        port = parts.port or (465 if secure else 25)
        try:
            client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
            with client_class(parts.hostname or "localhost", port, timeout=self.timeout) as client:
                client.ehlo()
                if not secure and (self.query.get("starttls") == ["1"] or client.has_extn("starttls")):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                    secure = True
                if parts.username and not secure and not on_loopback(parts.hostname):
                    raise TransportError(f"SMTP {parts.hostname}: no TLS offered; the password is not sent in clear")
                if parts.username:
                    client.login(unquote(parts.username), unquote(parts.password or ""))
                client.send_message(email_of(message, self.sender))
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"SMTP {parts.hostname}:{port}: {exc}") from exc


class SmsGateway:
    """POST {"to", "text", "reference", "language"} as JSON; any 2xx answer means the gateway took the SMS."""

    def __init__(self, url: str, token: str, timeout: float):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, message: Outgoing) -> None:
        body = json.dumps({"to": message.recipient, "text": message.body, "reference": f"minyi-{message.id}",
                           "language": message.locale}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                answer.read(4096)
        except urllib.error.HTTPError as exc:
            raise TransportError(f"SMS gateway answered {exc.code}: {exc.read(300).decode(errors='replace')}") from exc
        except (OSError, ValueError) as exc:
            raise TransportError(f"SMS gateway {self.url}: {exc}") from exc


class MailFolder:
    """Writes each message into a Maildir (an SMS as a mail addressed to the phone number), for offices without
    SMTP or an SMS gateway, and for trying Minyi out."""

    def __init__(self, path: str, sender: str):
        self.path, self.sender = Path(path), sender

    def send(self, message: Outgoing) -> None:
        mail = email_of(message, self.sender)
        if message.channel == "sms":
            del mail["Subject"]
            mail["Subject"] = f"SMS {message.recipient}"
            mail["X-Minyi-Channel"] = "sms"
        try:
            for part in ("tmp", "new", "cur"):  # Maildir(create=True) makes them only for a folder not there yet
                (self.path / part).mkdir(parents=True, exist_ok=True)
            mailbox.Maildir(self.path, create=False).add(mail)
        except OSError as exc:
            raise TransportError(f"mail folder {self.path}: {exc}") from exc


def transport_for(channel: str, config) -> SmtpTransport | SmsGateway | MailFolder:
    timeout = config["MINYI_MESSAGE_SEND_TIMEOUT"]
    if channel == "email" and config["MINYI_SMTP_URL"]:
        return SmtpTransport(config["MINYI_SMTP_URL"], config["MINYI_MAIL_FROM"], timeout)
    if channel == "sms" and config["MINYI_SMS_URL"]:
        return SmsGateway(config["MINYI_SMS_URL"], config["MINYI_SMS_TOKEN"], timeout)
    return MailFolder(config["MINYI_MAIL_DIR"], config["MINYI_MAIL_FROM"])
