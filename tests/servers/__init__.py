"""Real servers on loopback that tests talk to: an SMTP server (aiosmtpd) and an HTTP SMS gateway."""
