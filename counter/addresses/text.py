"""Address text: folding, unit-type prefixes and abbreviations, and splitting into segments."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Unit kinds a prefix can announce. "tp" (thành phố) names a province-level city or a district-level one.
PROVINCE = "province"
DISTRICT = "district"
WARD = "ward"
CITY = "city"

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_FOLD_MAP = str.maketrans({"đ": "d", "Đ": "d", "-": " ", "–": " ", "’": "", "'": "", "‘": "", ".": " ", "_": " "})

# Prefixes in folded form (longest first), with what they say: the kind of unit and its type word.
_PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("thanh pho", CITY, "thành phố"), ("thi tran", WARD, "thị trấn"), ("thi xa", DISTRICT, "thị xã"),
    ("dac khu", WARD, "đặc khu"), ("phuong", WARD, "phường"), ("huyen", DISTRICT, "huyện"),
    ("quan", DISTRICT, "quận"), ("tinh", PROVINCE, "tỉnh"), ("xa", WARD, "xã"),
    ("tp", CITY, "thành phố"), ("tx", DISTRICT, "thị xã"), ("tt", WARD, "thị trấn"),
    ("p", WARD, "phường"), ("x", WARD, "xã"), ("q", DISTRICT, "quận"), ("h", DISTRICT, "huyện"),
    ("t", PROVINCE, "tỉnh"), ("f", WARD, "phường"),
)
# Single letters are prefixes only when written as abbreviations ("P.", "P 13", "P13"); two letters also
# before a space ("TT Hùng Sơn"), as no unit name starts with the word "tt", "tp" or "tx".
_SHORT = {"tp", "tx", "tt", "p", "x", "q", "h", "t", "f"}
_TWO_LETTERS = {"tp", "tx", "tt"}
_UNIT_WORDS = ("thị trấn", "thị xã", "thành phố", "đặc khu", "xã", "phường", "quận", "huyện", "tỉnh",
               "tp.", "tx.", "tt.", "p.", "x.", "q.", "h.")
_COUNTRY = {"viet nam", "vn", "vietnam", "nuoc chxhcn viet nam"}


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ → d, hyphens/dots as spaces, single spaces: the matching key."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(stripped.split())


def tone_key(text: str) -> str:
    """Lower-case with diacritics, tone marks moved to each word's end so "Hoà" and "Hòa" compare equal."""
    words = []
    for word in unicodedata.normalize("NFD", text.lower().translate(_FOLD_MAP)).split():
        tones = "".join(sorted(ch for ch in word if ch in _TONES))
        words.append("".join(ch for ch in word if ch not in _TONES) + tones)
    return " ".join(words)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (so an exact spelling may decide between twins)."""
    return any(unicodedata.combining(ch) or ch in "đĐ" for ch in unicodedata.normalize("NFD", text))


def bare_number(name: str) -> str:
    """Numbered units compare without leading zeros ("Phường 01" is "Phường 1")."""
    return str(int(name)) if name.isdigit() else name


@dataclass(frozen=True)
class Reading:
    """One way to read a segment: the kind its prefix announces ("" if none) and the unit name."""

    kind: str
    type_word: str
    key: str
    spelled: str


def readings(segment: str) -> tuple[Reading, ...]:
    """The segment read with its prefix stripped (if it has one) and as a bare name."""
    folded = fold(segment)
    bare = Reading("", "", bare_number(folded), tone_key(segment))
    out: list[Reading] = []
    for prefix, kind, type_word in _PREFIXES:
        if not folded.startswith(prefix):
            continue
        rest = folded[len(prefix):]
        if prefix in _SHORT:
            # "P." / "P 13" / "P13": an abbreviation needs a dot, a space before a number, or a glued number.
            raw = segment.strip()
            dotted = raw[len(prefix):len(prefix) + 1] == "."
            glued_number = rest[:1].isdigit()
            spaced_number = rest.startswith(" ") and rest.strip()[:1].isdigit()
            spaced = prefix in _TWO_LETTERS and rest.startswith(" ")
            if not (dotted or glued_number or spaced_number or spaced):
                continue
        elif rest and not rest.startswith(" "):
            continue
        name = rest.strip()
        if not name:
            continue
        spelled_words = tone_key(segment).split()
        out.append(Reading(kind, type_word, bare_number(name), " ".join(spelled_words[-len(name.split()):])))
        break
    out.append(bare)
    return tuple(out)


def split_segments(text: str) -> list[str]:
    """Comma-separated parts, each further cut before an embedded unit word ("Khu 6 Thị trấn Hùng Sơn")."""
    parts: list[str] = []
    for chunk in re.split(r"[,;\n\r\t]+", unicodedata.normalize("NFC", text)):
        parts.extend(_cut(chunk.split()))
    while parts and fold(parts[-1]) in _COUNTRY:
        parts.pop()
    return parts


def _unit_word_at(words: list[str], i: int) -> int:
    """How many words a unit word (with diacritics, or a dotted abbreviation) takes at position i; 0 if none."""
    for phrase in _UNIT_WORDS:
        size = len(phrase.split())
        candidate = " ".join(words[i:i + size]).lower()
        if candidate == phrase or (phrase.endswith(".") and candidate.startswith(phrase) and size == 1):
            return size
    return 0


def _cut(words: list[str]) -> list[str]:
    """Cut words before each unit word that follows a name and precedes one ("Phường Phường Đúc" stays whole)."""
    pieces: list[list[str]] = []
    i = 0
    while i < len(words):
        size = _unit_word_at(words, i)
        dotted_glued = size == 1 and words[i].endswith(".") is False and "." in words[i]
        follows_name = bool(pieces) and pieces[-1] and not _only_unit_word(pieces[-1])
        before_name = i + size < len(words) and not _unit_word_at(words, i + size)
        if size and follows_name and (before_name or dotted_glued):
            pieces.append(words[i:i + size])
            i += size
            continue
        if not pieces:
            pieces.append([])
        pieces[-1].extend(words[i:i + max(size, 1)])
        i += max(size, 1)
    return [" ".join(p) for p in pieces if p]


def _only_unit_word(piece: list[str]) -> bool:
    """True when a piece is nothing but a unit word ("Phường", "Thị trấn")."""
    return " ".join(piece).lower() in _UNIT_WORDS
