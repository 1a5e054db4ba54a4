"""E-mail in: `minyi mail fetch` (and the scheduler, every minute when MINYI_IMAP_URL is set) reads the mailbox
over IMAP (imaplib), parses each new mail (text, sender, the files it carries, checked as staff uploads are) and
files it in the incoming queue (app.cases.intake.incoming). Each mail is filed once: the mailbox's UIDs are read
from where the last fetch stopped, and a Message-ID seen before is skipped.

MINYI_IMAP_URL: imaps://user:password@host[:993]/INBOX, or imap://...:143/INBOX (STARTTLS when the server offers it;
?starttls=0 only on loopback test servers)."""

from __future__ import annotations

import email
import hashlib
import imaplib
import io
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

BATCH = 50


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
                item = receive_mail(parse_mail(raw))
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
    return client


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_mail(raw: bytes) -> Mail:
    """The mail's sender, subject, readable text and files (each checked; a refused one is named, not kept)."""
    message: EmailMessage = email.message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    name, address = parseaddr(str(message.get("From", "")))
    files, refused = [], []
    for part in message.iter_attachments():
        filename = part.get_filename() or "attachment"
        try:
            data = part.get_content()
            data = data.encode() if isinstance(data, str) else data
            files.append(checked_file(filename, io.BytesIO(data)))
        except (MinyiError, LookupError, ValueError) as exc:
            refused.append(f"{filename}: {getattr(exc, 'message', exc)}")
    references = tuple(re.findall(r"<[^<>]+>", str(message.get("References", ""))))
    message_id = str(message.get("Message-ID", "")).strip() or f"<{hashlib.sha256(raw).hexdigest()}@minyi.local>"
    return Mail(message_id=message_id, sender=address, sender_name=name, subject=str(message.get("Subject", "")).strip(),
                body=_text(message), in_reply_to=str(message.get("In-Reply-To", "")).strip() or None,
                references=references, files=tuple(files), refused_files=tuple(refused))


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
