"""Names people type (user names, the name given when joining an assignment): normalised
so that two spellings of one name are one name, and refused when nothing visible is left.

NFKC folds compatibility forms (full-width "ａｄａ", ligatures) into plain ones. Then
invisible characters go: format characters (Unicode category Cf: zero-width spaces and
joiners, bidi overrides such as U+202E that flip the text after them), controls, and
the blank "letters" that render as nothing.
"""

from __future__ import annotations

import unicodedata

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError

# Letters that draw nothing (Hangul fillers, the braille blank): not Cf, still invisible.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def visible(text: str) -> str:
    return "".join(
        c
        for c in text
        if unicodedata.category(c) not in ("Cf", "Cc", "Co", "Cs") and c not in BLANK_LETTERS
    )


def name_clean(value: str, *, what: str = "name") -> str:
    """The name as stored: NFKC, no invisible characters, single spaces; or
    ValidationError saying why there is no name."""
    name = " ".join(visible(unicodedata.normalize("NFKC", value)).split())
    if not name:
        if value.strip():
            raise ValidationError(
                f"This {what} is made only of invisible characters: give one people can read."
            )
        raise ValidationError(f"Give a {what}.")
    return name


def latin_skeleton(name: str) -> str:
    """The name with every character that looks like a Latin letter replaced by it:
    "аdа" with Cyrillic а's becomes "ada"."""
    out = []
    for char in name:
        found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True)
        homoglyphs = found[0]["homoglyphs"] if found else []
        latin = [h["c"] for h in homoglyphs if h["c"].isascii()]
        out.append(latin[0] if latin else char)
    return "".join(out).casefold()
