"""A real IMAP server on loopback: Dovecot (Debian's dovecot-imapd) with its own configuration in a temporary
directory, one mailbox user, plain login without TLS (loopback only). Mails are put in with IMAP APPEND, as any
mail client files a message."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "intake@example.org", "mail-secret"

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%n
first_valid_uid = 1
{login_users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
"""


class ImapServer:
    def __init__(self):
        if not os.path.exists(DOVECOT):
            raise RuntimeError("Dovecot is not installed: run scripts/setup --test (apt-get install dovecot-imapd)")
        self.dir = Path(tempfile.mkdtemp(prefix="minyi-imap-"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        if os.getuid() == 0:  # Dovecot will not deliver to uid 0: the mailbox belongs to nobody
            owner = pwd.getpwnam("nobody")
            uid, gid, login_users = owner.pw_uid, owner.pw_gid, ""
        else:
            me = pwd.getpwuid(os.getuid())
            uid, gid = me.pw_uid, me.pw_gid
            login_users = f"default_login_user = {me.pw_name}\ndefault_internal_user = {me.pw_name}"
        for part in ("run", "state", "mail", "home"):
            (self.dir / part).mkdir()
        for part in ("mail", "home"):
            os.chown(self.dir / part, uid, gid)
        os.chmod(self.dir, 0o755)
        (self.dir / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (self.dir / "dovecot.conf").write_text(CONFIG.format(d=self.dir, port=self.port, uid=uid, gid=gid,
                                                             login_users=login_users))
        self.process = None

    @property
    def url(self) -> str:
        return f"imap://{USER.replace('@', '%40')}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def __enter__(self):
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.dir / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError as exc:
                if self.process.poll() is not None:
                    raise RuntimeError(f"Dovecot stopped: {self.process.stderr.read().decode()} {self._log()}") from exc
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not listen on {self.port}: {self._log()}")

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _log(self) -> str:
        log = self.dir / "dovecot.log"
        return log.read_text()[-2000:] if log.exists() else ""

    def deliver(self, message: EmailMessage) -> None:
        """File a mail in the inbox (IMAP APPEND), as it would arrive."""
        with imaplib.IMAP4("127.0.0.1", self.port) as client:
            client.login(USER, PASSWORD)
            status, _ = client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), message.as_bytes())
            assert status == "OK", status

    def flags(self) -> list[bytes]:
        with imaplib.IMAP4("127.0.0.1", self.port) as client:
            client.login(USER, PASSWORD)
            client.select("INBOX")
            _, data = client.fetch("1:*", "(FLAGS)")
            return [d for d in data if d]
