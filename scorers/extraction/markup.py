"""Markdown and LaTeX read through: marks become spaces and LaTeX becomes plain text of the
same length, so "**Paris**" and "$3 \\times 10^{8}$" are read as written while every offset
still points into the reply.
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(
    r"(?=[*_`#>+•\s-])(?:\*\*|__|\*|`|^\s{0,3}#{1,6}\s|^\s*>\s?|^\s*[-+•]\s)", re.MULTILINE
)


def mask_markdown(text: str) -> str:
    """Markdown marks as spaces and LaTeX read as plain text, so offsets still point into the
    reply: "$3 \\times 10^{8}$ m/s" reads "3 × 10^8 m/s", "$O(\\log n)$" reads "O(log n)"."""
    masked = _MARKDOWN.sub(lambda m: " " * len(m.group(0)), text)
    latex = "$" in masked or "\\" in masked or "^{" in masked
    return _LATEX.sub(_plain_latex, masked) if latex else masked


#: LaTeX a reply may wrap a value in: math delimiters, spacing and sizing commands, symbol
#: commands, and the braces of a super- or subscript
_LATEX = re.compile(
    r"\\[dt]?frac\{(?P<num>[^{}$]{1,12})\}\{(?P<den>[^{}$]{1,12})\}|\\boxed\{"
    r"|\$+|\\(?:[a-zA-Z]+|[,;:! ])|(?<=[\^_])\{(?P<script>[^{}$]{1,12})\}"
)

_LATEX_SYMBOLS = {
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "le": "≤", "ge": "≥", "circ": "°",
    "Omega": "Ω", "omega": "ω", "mu": "μ", "pi": "π", "alpha": "α", "beta": "β", "lambda": "λ",
}  # fmt: skip

_LATEX_SPACING = {"left", "right", "quad", "qquad", "displaystyle", "text", "mathrm", "mathbf"}


def _plain_latex(m: re.Match[str]) -> str:
    """One LaTeX token as plain text of the same length, padded with spaces after (before,
    when brackets follow: "\\cos(x)" reads " cos(x)"). "\\frac{1}{4}" reads "1/4";
    "\\boxed{", the mark of a final answer, reads "answer:"."""
    token = m.group(0)
    if m.group("script") is not None:  # "^{8}" -> "^8  "
        plain = m.group("script")
    elif m.group("num") is not None:
        plain = f"{m.group('num')}/{m.group('den')}"
    elif token == "\\boxed{":
        plain = "answer:"
    elif token.startswith("\\") and token[1:].isalpha():
        name = token[1:]
        plain = _LATEX_SYMBOLS.get(name, "" if name in _LATEX_SPACING else name)
    else:
        plain = ""
    if m.string[m.end() : m.end() + 1] in ("(", "[", "{"):
        return plain.rjust(len(token))
    return plain.ljust(len(token))
