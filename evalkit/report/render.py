"""The view model as one self-contained HTML page: escaped data, inline assets, strict CSP.

Safety, because model replies and dataset text are untrusted:
- Jinja autoescapes every value; the only markup passed through unescaped is
  our own static CSS/JS and SVG built by :mod:`evalkit.report.svg` (which
  escapes its data);
- transcripts travel as JSON in a ``<script type="application/json">`` with
  ``<``, ``>`` and ``&`` escaped, so no reply can close the tag, and the page's
  script shows them with ``textContent`` only;
- a Content-Security-Policy allows exactly the page's own script and style
  (by hash) and nothing from the network, so even a mistake above cannot run
  injected code or load anything;
- values that look like API keys are replaced before the page is written.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from evalkit.report.view import ReportView

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE = "report.html.j2"

_KEY_PATTERNS = re.compile(
    r"\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}|hf_[A-Za-z0-9]{30,}|AIza[0-9A-Za-z_\-]{35})"
)
#: What every match of ``_KEY_PATTERNS`` contains.
_KEY_PREFIXES = ("sk-", "hf_", "AIza")
_SECRET_ENV = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)
REDACTED = "[redacted]"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _asset(name: str) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    # Our own static files; a closing tag in them would end the element early.
    if "</" in text:
        raise AssertionError(f"{name} must not contain '</'")
    return text


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    return (
        f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def script_json(value: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<`` can end the element."""
    text = json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)  # escaped for this context just above


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as null: JSON has none, and one ``NaN`` (a crafted
    run's ``latency_s``) made the page's whole transcript data unreadable."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def render_html(view: ReportView) -> str:
    script, style = _asset("report.js"), _asset("report.css")
    data = {
        "transcripts": [t.model_dump(mode="json") for t in view.transcripts],
    }
    page = (
        _environment()
        .get_template(PAGE)
        .render(
            view=view,
            data=script_json(data),
            script=Markup(script),
            style=Markup(style),
            csp=content_security_policy(script, style),
        )
    )
    return redact_secrets(page)


def secret_values() -> list[str]:
    """The values of the environment's secret-named variables that are long enough to be keys."""
    return [v for n, v in os.environ.items() if _SECRET_ENV.search(n) and len(v) >= 12]


def redact_secrets(text: str, secrets: Sequence[str] | None = None) -> str:
    """Replace API-key-shaped strings and the values of secret environment variables
    (``secrets``: :func:`secret_values` read once, for a caller redacting many texts)."""
    for value in secret_values() if secrets is None else secrets:
        if value in text:
            text = text.replace(value, REDACTED)
    if not any(prefix in text for prefix in _KEY_PREFIXES):  # a scan far quicker than the regex
        return text
    return _KEY_PATTERNS.sub(REDACTED, text)
