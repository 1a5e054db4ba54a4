"""E-mail in: `minyi mail fetch` (and the scheduler, every minute when MINYI_IMAP_URL is set) reads the mailbox
over IMAP (imaplib), parses each new mail (text, sender, the files it carries, checked as staff uploads are) and
files it in the incoming queue (app.cases.intake.incoming). Each mail is filed once: the mailbox's UIDs are read
from where the last fetch stopped, and a Message-ID seen before is skipped.

MINYI_IMAP_URL: imaps://user:password@host[:993]/INBOX, or imap://...:143/INBOX (STARTTLS, which the server must
offer unless it is on this machine: the password never crosses a network in clear)."""

from __future__ import annotations

import email
import hashlib
import imaplib
import io
import logging
import re
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

from app.cases.errors import MinyiError
from app.cases.files.store import checked_file
from app.cases.intake.incoming import Mail, advance_checkpoint, mail_checkpoint, receive_mail

from .outgoing import on_loopback

BATCH = 50
BODY_MAX = 200_000  # characters of a mail's text kept
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
log = logging.getLogger(__name__)


class MailboxError(Exception):
    """The mailbox could not be read (the reason says why)."""


@dataclass
class Fetched:
    new: int = 0  # waiting in the incoming queue
    joined: int = 0  # joined the case they named
    seen_before: int = 0


def fetch_mail(url: str, limit: int = 1000) -> Fetched:
    parts = urlsplit(url)
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    done = Fetched()
    try:
        client = _connect(parts)
        try:
            client.login(unquote(parts.username or ""), unquote(parts.password or ""))
            status, _ = client.select(_quoted(mailbox))
            if status != "OK":
                raise MailboxError(f"no mailbox {mailbox}")
            validity = (client.response("UIDVALIDITY")[1] or [b"0"])[0].decode()
            key = "imap:" + hashlib.sha1(f"{parts.hostname}:{parts.port}:{parts.username}:{mailbox}".encode()).hexdigest()[:24] \
                + ":" + validity
            last = mail_checkpoint(key)
            status, data = client.uid("SEARCH", None, f"UID {last + 1}:*")
            uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > last)[:limit]
            for uid in uids:
                status, fetched = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next((part[1] for part in fetched if isinstance(part, tuple)), None)
                if status != "OK" or raw is None:
                    raise MailboxError(f"mail {uid} could not be read")
                item = receive_mail(_readable(raw, uid))
                if item is None:
                    done.seen_before += 1
                elif item.state == "attached":
                    done.joined += 1
                else:
                    done.new += 1
                client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
                advance_checkpoint(key, uid)
        finally:
            try:
                client.logout()
            except (OSError, imaplib.IMAP4.error):
                pass
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"IMAP {parts.hostname}: {exc}") from exc
    return done


def _connect(parts) -> imaplib.IMAP4:
    query = parse_qs(parts.query)
    if parts.scheme == "imaps":
        return imaplib.IMAP4_SSL(parts.hostname, parts.port or 993, ssl_context=ssl.create_default_context(), timeout=30)
    client = imaplib.IMAP4(parts.hostname, parts.port or 143, timeout=30)
    if query.get("starttls") != ["0"] and "STARTTLS" in client.capabilities:
        client.starttls(ssl_context=ssl.create_default_context())
    elif not on_loopback(parts.hostname):
        client.shutdown()
        raise MailboxError(f"IMAP {parts.hostname}: no TLS; the password is not sent in clear (use imaps://)")
    return client


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _readable(raw: bytes, uid: int) -> Mail:
    """The mail parsed; a mail that cannot be parsed is filed as it came (its raw text, for a clerk to read), so
    that one broken mail never stops the mails after it."""
    try:
        return parse_mail(raw)
    except Exception as exc:  # any mail that breaks the parser
        log.warning("mail %s could not be parsed: %s", uid, exc)
        return Mail(message_id=f"<{hashlib.sha256(raw).hexdigest()}@minyi.unreadable>", sender="", sender_name="",
                    subject="(?)", body=_clean(raw.decode("utf-8", errors="replace"))[:BODY_MAX],
                    refused_files=(f"the mail could not be read: {type(exc).__name__}: {exc}"[:500],))


def parse_mail(raw: bytes) -> Mail:
    """The mail's sender, subject, readable text and files (each checked; a refused one is named, not kept)."""
    message: EmailMessage = email.message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    name, address = parseaddr(_header(message, "From"))
    files, refused = [], []
    for part in message.iter_attachments():
        filename = _clean(part.get_filename() or "attachment")
        try:
            data = part.get_content()
            data = data.encode() if isinstance(data, str) else data if isinstance(data, bytes) else part.as_bytes()
            files.append(checked_file(filename, io.BytesIO(data)))
        except (MinyiError, LookupError, ValueError, TypeError) as exc:
            refused.append(f"{filename}: {getattr(exc, 'message', exc)}")
    references = tuple(re.findall(r"<[^<>]{1,250}>", _header(message, "References")))
    message_id = _header(message, "Message-ID").strip()
    if not re.fullmatch(r"<[^<>\s]{1,280}>", message_id):
        message_id = f"<{hashlib.sha256(raw).hexdigest()}@minyi.local>"
    return Mail(message_id=message_id, sender=_clean(address), sender_name=_clean(name),
                subject=_clean(_header(message, "Subject")).strip(), body=_clean(_text(message))[:BODY_MAX],
                in_reply_to=_header(message, "In-Reply-To").strip() or None,
                references=references, files=tuple(files), refused_files=tuple(refused))


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; a header the parser cannot make sense of reads as its raw value, or empty."""
    try:
        return str(message.get(name, "") or "")
    except Exception:  # the email package raises many kinds on malformed headers
        return next((str(value) for key, value in message.raw_items() if key.lower() == name.lower()), "")


def _clean(text: str) -> str:
    """NUL and other control characters out (the databases and XML refuse them); tabs and newlines stay."""
    return CONTROL.sub("", text or "")


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        return ""
    if part.get_content_subtype() == "html":
        reader = _HtmlText()
        reader.feed(content)
        content = reader.text()
    return re.sub(r"[ \t]+\n", "\n", content).strip()


class _HtmlText(HTMLParser):
    """The readable text of an HTML mail: scripts and styles dropped, blocks on their own lines."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\n\s*\n+", "\n\n", "".join(self.parts))
