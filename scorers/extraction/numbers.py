"""Numbers as a reply writes them: "three" for "3", "thirteenth" for "13th", "0.25" and "25%"
for "1/4", a unit spelled out ("kilometres per second"), the bare number of "273.15 K".
Option names use these; the no-answer filters ask whether a mention is a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scorers.extraction.folding import fold
from scorers.extraction.mention import Mention
from scorers.extraction.quotes import QUOTES

NUMBER = re.compile(r"[-+−]?\d[\d,.\s]*")

_CARDINALS = (
    "zero", "", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty",
)  # fmt: skip

#: "one" is left out: it is a pronoun far more often than a count ("the one that")
_NUMBER_WORDS = {str(n): w for n, w in enumerate(_CARDINALS) if w} | {
    str(10 * n): w for n, w in zip(range(3, 10), ("thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety"), strict=True)
}  # fmt: skip

#: the ordinal words, "first" (1) to "twentieth" (20)
ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
#: ordinals from "fourth" ("first" to "third" are far more often ranks than the option)
_ORDINAL_WORDS = {n: word for n, word in enumerate(ORDINALS, start=1) if n >= 4}

_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")

#: a number with its unit: "273.15 K", "343 m/s", "98.6 °F" (not "3 × 10^8 m/s")
_WITH_UNIT = re.compile(r"([-+−]?\d[\d,.]*)\s*[A-Za-z°%µΩ/²³ ]+")

#: unit symbols a reply may spell out ("300,000 kilometres per second" for "300,000 km/s")
_SPELLED_UNITS = {
    "km/s": ("kilometres per second", "kilometers per second"),
    "m/s": ("metres per second", "meters per second"),
    "km/h": ("kilometres per hour", "kilometers per hour"),
    "mph": ("miles per hour",),
    "km": ("kilometres", "kilometers"),
    "cm": ("centimetres", "centimeters"),
    "mm": ("millimetres", "millimeters"),
    "kg": ("kilograms", "kilogrammes"),
}


def _spelled_out(choice: str) -> list[str]:
    """A number with a unit symbol, the unit spelled out: "300,000 km/s" is also "300,000
    kilometres per second" (never the bare number: that names every option with it)."""
    measured = re.fullmatch(r"([-+−]?\d[\d,.]*)\s*([A-Za-z/]+)", choice.strip())
    if measured is None:
        return []
    words = _SPELLED_UNITS.get(measured.group(2).casefold(), ())
    return [f"{measured.group(1)} {w}" for w in words]


def number_names(choice: str, choices: Sequence[str]) -> list[str]:
    """Other ways a reply writes a numeric option: "three" for "3", "6" for "Six", "thirteenth"
    for "13th", "0.25" and "25%" for "1/4", the bare "273.15" for "273.15 K" (when no other
    option has that number)."""
    text = choice.strip()
    if spelled := _spelled_out(text):
        return spelled + _number_names_of(text, choices)
    return _number_names_of(text, choices)


#: a whole number of two to four digits, written out by :func:`in_words`
_WHOLE = re.compile(r"[1-9]\d{1,3}")

_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
         90: "ninety", 20: "twenty"}  # fmt: skip


def _below_a_hundred(n: int) -> list[str]:
    """ "forty", "forty-four" and "forty four" for 1 to 99 ("one" included: inside a longer
    number it is no pronoun)."""
    if n < 20:
        return ["one" if n == 1 else _CARDINALS[n]]
    tens, units = divmod(n, 10)
    if not units:
        return [_TENS[10 * tens]]
    word = _TENS[10 * tens]
    unit = "one" if units == 1 else _CARDINALS[units]
    return [f"{word}-{unit}", f"{word} {unit}"]


def in_words(n: int) -> list[str]:
    """Ways to write 21 to 9,999 in words: "twenty-four", "one hundred and forty", "one
    thousand four hundred and forty", "fourteen hundred and forty" (the numbers up to twenty
    and the tens are ``_NUMBER_WORDS``)."""
    if not 21 <= n <= 9999 or str(n) in _NUMBER_WORDS:
        return []
    if n < 100:
        return _below_a_hundred(n)
    heads: list[tuple[str, int]] = []  # ("one thousand four hundred", 40)
    thousands, rest = divmod(n, 1000)
    hundreds, tail = divmod(rest, 100)
    if thousands:
        lead = f"{_below_a_hundred(thousands)[0]} thousand"
        heads.append(
            (f"{lead} {_below_a_hundred(hundreds)[0]} hundred" if hundreds else lead, tail)
        )
    else:
        heads.append((f"{_below_a_hundred(hundreds)[0]} hundred", tail))
    if n >= 1100 and n // 100 % 10:  # "fourteen hundred and forty"
        heads.append((f"{_below_a_hundred(n // 100)[0]} hundred", tail))
    names = []
    for head, tail in heads:
        if not tail:
            names.append(head)
            continue
        for rest_words in _below_a_hundred(tail):
            names += [f"{head} and {rest_words}", f"{head} {rest_words}"]
    return names


def _number_names_of(text: str, choices: Sequence[str]) -> list[str]:
    """:func:`_number_names` but for the unit spelled out."""
    if (negative := re.fullmatch(r"[-−](\d+(?:\.\d+)?)", text)) is not None:
        size = negative.group(1)  # "-3": "negative 3", "negative three", "3 below zero"
        sizes = [size, *_number_names_of(size, choices)]
        return [f"negative {n}" for n in sizes] + [f"{size} below zero"]
    if text in _NUMBER_WORDS:
        return [_NUMBER_WORDS[text]]
    if (digits := _DIGITS_OF_WORD.get(text.casefold())) is not None:
        return [digits]  # "6" for "Six": small models answer in digits
    if _WHOLE.fullmatch(text):
        return in_words(int(text))
    if (ordinal := re.fullmatch(r"(\d+)(?:st|nd|rd|th)", text, re.IGNORECASE)) is not None:
        word = _ORDINAL_WORDS.get(int(ordinal.group(1)))
        return [word] if word else []
    if (fraction := _FRACTION.fullmatch(text)) is not None:
        numerator, denominator = int(fraction.group(1)), int(fraction.group(2))
        if denominator == 0 or (1000 * numerator) % denominator:
            return []  # "1/3" has no short decimal
        value = numerator / denominator
        return [f"{value:.3f}".rstrip("0").rstrip("."), f"{100 * value:g}%"]
    if (measured := _WITH_UNIT.fullmatch(text)) is not None:
        number = measured.group(1)
        others = [_WITH_UNIT.fullmatch(c.strip()) for c in choices if c.strip() != text]
        if not any(o and o.group(1) == number for o in others):
            return [number]
    return []


#: the digits of a number word: "6" for "Six", "1" for "One"
_DIGITS_OF_WORD = {w: n for n, w in _NUMBER_WORDS.items()} | {"one": "1"}

#: a number written in digits alone: "42", "-3", "1,000", "2.5"
_DIGITS = re.compile(r"[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+−]?\d+(?:\.\d+)?")


def numeric_value(text: str) -> float | None:
    """``text``'s value when it is a number in digits and nothing else (quotes, bold and a
    trailing period allowed: '"12."', "**42**"), else None."""
    bare = text.strip().strip(QUOTES + "*").rstrip(".").strip(QUOTES + "*")
    if not _DIGITS.fullmatch(bare):
        return None
    return float(bare.replace(",", "").replace("−", "-"))


def small_numbers(text: str) -> set[str]:
    """The numbers below 100 a text says, in digits or as one number word: "$50" and
    "fifty-dollar" both say "50" (content words leave them out: they are too short)."""
    said = {n for n in _SMALL.findall(text)}
    return said | {_DIGITS_OF_WORD[w] for w in _WORD.findall(fold(text)) if w in _DIGITS_OF_WORD}


#: a number below 100 in digits, not part of a longer one
_SMALL = re.compile(r"(?<![\d.,])\d{1,2}(?![\d]|[.,]\d)")
_WORD = re.compile(r"[a-z]+")


def worded_number(text: str, m: Mention) -> bool:
    """A number written in words ("six", "fourteen hundred and forty"): a weak name, never
    picked on question words alone."""
    said = fold(text[m.start : m.end])
    return said in NUMBER_WORDS_SET or _IN_WORDS.fullmatch(said) is not None


def is_number(said: str) -> bool:
    """A number as a reply writes one: "12", "1,500", "1/4", "eight", "one hundred"."""
    folded = fold(said)
    return bool(
        NUMBER.fullmatch(said)
        or _FRACTION.fullmatch(said)
        or folded in NUMBER_WORDS_SET
        or _IN_WORDS.fullmatch(folded)
    )


NUMBER_WORDS_SET = set(_NUMBER_WORDS.values())

_A_NUMBER_WORD = "|".join(sorted({"one", "hundred", "thousand", *NUMBER_WORDS_SET}, key=len)[::-1])
#: a number of several words: "twenty-four", "one hundred and forty"
_IN_WORDS = re.compile(rf"(?:{_A_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_A_NUMBER_WORD}))+")
