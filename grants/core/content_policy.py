"""The Content Security Policy: scripts from the service itself, and the layout's one inline
script allowed by its hash.

A hash rather than a per-response nonce keeps every page's HTML the same from one request to
the next, so public pages can be cached and revalidated by ETag (`grants.core.caching`). The
hash is taken from GOV.UK Frontend's own template when the app starts, so a new version of the
template can never leave its script blocked without a test noticing.
"""

import base64
import hashlib
import re
from importlib import resources

_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.+?)</script>", re.DOTALL)


def inline_script_hashes() -> list[str]:
    """CSP sources for each inline script in the GOV.UK Frontend page template."""
    template = (resources.files("govuk_frontend_jinja") / "templates" / "template.html"
                ).read_text("utf-8")
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for body in (m["body"] for m in _INLINE_SCRIPT.finditer(template))]


def content_security_policy() -> dict[str, str]:
    return {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *inline_script_hashes()]),
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }
