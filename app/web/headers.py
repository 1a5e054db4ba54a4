"""Security headers on every response, set in this one place.

- Content-Security-Policy: everything from this origin only, nothing from the internet; no inline scripts or event
  handlers (a JSON data block is not a script); inline styles stay allowed because bpmn-js and ECharts draw with
  style attributes. `frame-ancestors 'none'` (and X-Frame-Options for old browsers): no page may be framed.
- X-Content-Type-Options: nosniff, so an attachment is never read as another type than the one it is served as.
- Referrer-Policy: same-origin, so case numbers in URLs never leave the site.
- Cache-Control: no-store on every page and API answer (they carry personal data or a user's work); only the
  versioned static files and front-end packages may be cached.
- Strict-Transport-Security when the cookies are Secure (the site is served over HTTPS).
"""

from __future__ import annotations

from flask import Flask, Response, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
CACHEABLE = ("/static/", "/assets/")
HSTS = "max-age=31536000; includeSubDomains"


def install(app: Flask) -> None:
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "DENY")
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not request.path.startswith(CACHEABLE):
            headers["Cache-Control"] = "no-store"
        if secure:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
