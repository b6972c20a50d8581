"""Normalisation of the fields the linkage model compares: names, dates, NHS numbers, postcodes, addresses.

Pure Python, no Django. Every function takes a raw string (or None) and returns a normalised value or None.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from safeguarding.linkage.nicknames import CANONICAL, canonical_forms

# Letters that NFKD does not decompose into a base letter and a combining mark.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŀ": "l",
        "ſ": "s",
    }
)
# Cyrillic to Latin, a simple (BGN-like) transliteration so a name typed in Cyrillic meets its Latin spelling.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_APOSTROPHES = "'’‘`´ʼ"
_NON_LETTER = re.compile(r"[^a-z ]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def fold(value: str | None) -> str:
    """Lower case ASCII letters, digits and single spaces: diacritics and special letters folded, apostrophes
    dropped (O'Brien -> obrien), hyphens, dots and other punctuation turned into spaces."""
    if not value:
        return ""
    if value.isascii():  # fast path: nothing to fold but case, apostrophes and punctuation
        text = value.lower().replace("'", "").replace("`", "")
        return _SPACES.sub(" ", _NON_ALNUM.sub(" ", text)).strip()
    text = value.strip().lower().translate(_SPECIAL).translate(_CYRILLIC_TABLE)
    for a in _APOSTROPHES:
        text = text.replace(a, "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", text)).strip()


def name_parts(value: str | None) -> list[str]:
    """The parts of a name: 'Smith-Jones' and 'Smith Jones' -> ['smith', 'jones']."""
    return _NON_LETTER.sub(" ", fold(value)).split()


def name_key(value: str | None) -> str | None:
    """A name as one compact key (parts joined without spaces): 'Smith-Jones' = 'Smith Jones' = 'SMITHJONES'."""
    parts = name_parts(value)
    return "".join(parts) or None


@lru_cache(maxsize=200_000)
def given_name_info(value: str | None) -> tuple[str | None, str | None, str | None]:
    """(key, canonical 1, canonical 2) of a given name; the canonical forms come from the nickname groups
    of the first part ('Mary-Jane' -> canonical of 'mary')."""
    parts = name_parts(value)
    if not parts:
        return None, None, None
    key = "".join(parts)
    c1, c2 = canonical_forms(key)
    if c1 == key and key not in CANONICAL and len(parts) > 1:
        c1, c2 = canonical_forms(parts[0])
    return key, c1, c2


@lru_cache(maxsize=200_000)
def surname_info(value: str | None) -> tuple[str | None, str | None, str | None]:
    """(key, first part, last part) of a surname: 'Smith-Jones' -> ('smithjones', 'smith', 'jones')."""
    parts = name_parts(value)
    if not parts:
        return None, None, None
    # Particles stay part of the key but are not parts on their own.
    real = [p for p in parts if p not in {"de", "van", "von", "der", "la", "le", "da", "di", "del"}] or parts
    return "".join(parts), real[0], real[-1]


_SPELLINGS = (
    ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("ph", "f"), ("ck", "k"), ("gh", "g"), ("kh", "h"), ("cz", "ch"),
    ("sz", "sh"), ("th", "t"), ("zh", "j"), ("x", "ks"), ("q", "k"), ("z", "s"),
)  # fmt: skip


@lru_cache(maxsize=200_000)
def phonetic(key: str | None) -> str | None:
    """A phonetic key for names typed from speech: a few English/Polish spelling rules (ph->f, th->t, cz->ch,
    soft c->s, hard c->k ...), then the first letter (any vowel as 'a') and the consonant skeleton without
    h, w and vowels, doubled letters once. Caitlin = Kaitlyn = Katelyn, Smith = Smyth, Aiden = Ayden,
    Chaudhry = Chowdhury; Joshua != Jack. Very short skeletons keep their vowels (Leo != Lily)."""
    if not key:
        return None
    s = key
    for a, b in _SPELLINGS:
        s = s.replace(a, b)
    chars = []
    for i, ch in enumerate(s):
        if ch == "c":
            nxt = s[i + 1] if i + 1 < len(s) else ""
            ch = "c" if nxt == "h" else ("s" if i > 0 and nxt in "eiy" else "k")
        chars.append(ch)
    head = "a" if chars[0] in "aeiouy" else chars[0]
    body = [c for c in chars[1:] if c not in "aeiouyhw"]
    if len(body) < 2:
        body = ["a" if c in "aeiouy" else c for c in chars[1:] if c not in "hw"]
    out = [head]
    for c in body:
        if c != out[-1]:
            out.append(c)
    return "".join(out)


def parse_date(value: str | None) -> dt.date | None:
    """YYYY-MM-DD (also DD/MM/YYYY) to a date; anything else is None."""
    if not value:
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def swap_day_month(d: dt.date | None) -> dt.date | None:
    """The date with day and month transposed, where that is a different valid date."""
    if d is None or d.day > 12 or d.day == d.month:
        return None
    return d.replace(month=d.day, day=d.month)


NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for the first nine digits; None where the result is 10 (number never issued)."""
    total = sum(int(d) * w for d, w in zip(first_nine, NHS_WEIGHTS))  # noqa: B905  (nine digits, nine weights)
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number(value: str | None) -> str | None:
    """A valid NHS number as ten digits (spaces and dashes removed), or None when it is missing or its check
    digit fails; an invalid number must never be used to identify anyone."""
    if not value:
        return None
    digits = value if len(value) == 10 else value.replace(" ", "").replace("-", "").replace("\t", "")
    if len(digits) != 10 or not digits.isdigit() or not digits.isascii():
        return None
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        return None
    return digits


def nhs_number_is_valid(value: str | None) -> bool:
    return nhs_number(value) is not None


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$")


def postcode_parts(value: str | None) -> tuple[str, str, str] | None:
    """(full, sector, district) of a UK postcode, e.g. 'ns1 4ab' -> ('NS1 4AB', 'NS1 4', 'NS1'); None if malformed."""
    if not value:
        return None
    text = re.sub(r"\s+", "", value.upper())
    m = _POSTCODE.match(text)
    if not m:
        return None
    district, sector_digit, unit = m.groups()
    return f"{district} {sector_digit}{unit}", f"{district} {sector_digit}", district


_ADDRESS_WORDS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "ct": "court",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "pl": "place",
    "sq": "square",
    "terr": "terrace",
    "ter": "terrace",
    "flt": "flat",
    "apt": "flat",
    "apartment": "flat",
}


@lru_cache(maxsize=400_000)
def address_info(value: str | None) -> tuple[str | None, str | None]:
    """(normalised address, key of house number and first street word), e.g.
    '12a, Mill Rd.' -> ('12a mill road', '12a mill')."""
    words = fold(value).split()
    if not words:
        return None, None
    words = [_ADDRESS_WORDS.get(w, w) for w in words]
    norm = " ".join(words)
    numbers = [
        w
        for i, w in enumerate(words)
        if any(c.isdigit() for c in w) and (i == 0 or words[i - 1] not in {"flat", "unit"})
    ]
    names = [w for w in words if w.isalpha() and w not in {"flat", "the", "house"}]
    key = None
    if numbers and names:
        key = f"{numbers[0]} {names[0]}"
    return norm, key
