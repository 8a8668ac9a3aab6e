"""ICD-10-CM lookup and search over the shipped code list, and laterality checks.

Pure Python, no Django: ``describe``, ``is_billable`` and ``search`` read
intake/data/icd10cm.tsv.gz (built from simple-icd-10-cm 1.5.0 by `manage.py build_icd10_list`);
search puts the curated runner codes (intake.diagnoses.curated) first.
"""

from __future__ import annotations

import bisect
import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from .curated import LEFT, RIGHT, Code, _curated_codes, _normalise

# ------------------------------------------------------------------ lookup


def _with_dot(bare: str) -> str:
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


# The billable codes with their descriptions and inclusion terms, generated from the
# library by `manage.py build_icd10_list` and shipped with the app: reading it takes
# ~0.3 s and little memory, where importing the library takes ~2 s and ~190 MB.
CODE_LIST = Path(__file__).resolve().parents[1] / "data" / "icd10cm.tsv.gz"


def describe(code: str) -> str | None:
    """Tabular-list description of a billable code, else None."""
    index = _index()
    row = index.by_bare.get(_normalise(code))
    return None if row is None else index.descriptions[row]


def is_billable(code: str) -> bool:
    """True for a valid leaf code; case, spaces and the dot do not matter."""
    return _normalise(code) in _index().by_bare


# ------------------------------------------------------------------ search

_CODE_LIKE = re.compile(r"^[A-Z]([0-9][0-9A-Z]*)?$")  # "M", "M2", "M222X1"


@dataclass(frozen=True)
class _Index:
    """Billable codes in code order, one column per field (fast to scan)."""

    bare: tuple[str, ...]  # "M222X1", sorted
    dotted: tuple[str, ...]  # "M22.2X1"
    descriptions: tuple[str, ...]  # as printed in the tabular list
    heads: tuple[str, ...]  # description, lowered
    texts: tuple[str, ...]  # description and inclusion terms (own and inherited), lowered
    by_bare: dict[str, int]  # bare code -> row
    unplaced: tuple[tuple[str, int], ...]  # (bare code without placeholder X, row), sorted


def _inclusion_terms(cm: ModuleType, code: str, memo: dict[str, str]) -> str:
    """Inclusion terms of a code and of its ancestors up to the category, lowered."""
    if code not in memo:
        own = " ".join(cm.get_inclusion_term(code)).lower()
        parent = cm.get_parent(code)
        # A block holding one category has the category's name ("B99"): stop there.
        climb = parent != code and cm.is_category_or_subcategory(parent)
        above = _inclusion_terms(cm, parent, memo) if climb else ""
        memo[code] = f"{own} {above}".strip()
    return memo[code]


def library_rows(cm: ModuleType) -> list[tuple[str, str, str, str]]:
    """(bare, dotted, description, inclusion terms) of every billable code, sorted."""
    memo: dict[str, str] = {}
    rows = [
        (_normalise(c), c, cm.get_description(c), _inclusion_terms(cm, c, memo))
        for c in cm.get_all_codes(with_dots=True)
        if cm.is_category_or_subcategory(c) and cm.is_leaf(c)
    ]
    return sorted(rows)


def _shipped_rows() -> list[tuple[str, str, str, str]]:
    with gzip.open(CODE_LIST, "rt", encoding="utf-8") as lines:
        rows = []
        for line in lines:
            dotted, description, terms = line.rstrip("\n").split("\t")
            rows.append((_normalise(dotted), dotted, description, terms))
    return sorted(rows)


@cache
def _index() -> _Index:
    """Built once per process, on first use, from the shipped code list."""
    bare, dotted, descriptions, terms = zip(*_shipped_rows(), strict=True)
    heads = tuple(d.lower() for d in descriptions)
    # Placeholder X (M22.2X1) is often left out when typing: "M2221" finds M22.2X1.
    unplaced = sorted(
        (b[:3] + b[3:].replace("X", ""), i) for i, b in enumerate(bare) if "X" in b[3:]
    )
    return _Index(
        bare=bare,
        dotted=dotted,
        descriptions=descriptions,
        heads=heads,
        texts=tuple(f"{h}|{t}" for h, t in zip(heads, terms, strict=True)),
        by_bare={b: i for i, b in enumerate(bare)},
        unplaced=tuple(unplaced),
    )


def _code_matches(index: _Index, prefix: str) -> list[int]:
    """Rows whose code starts with ``prefix`` (bare, placeholder X optional), code order."""
    start = bisect.bisect_left(index.bare, prefix)
    end = bisect.bisect_left(index.bare, prefix + "\uffff")
    hits = set(range(start, end))
    lo = bisect.bisect_left(index.unplaced, (prefix,))
    hi = bisect.bisect_left(index.unplaced, (prefix + "\uffff",))
    hits.update(row for _, row in index.unplaced[lo:hi])
    return sorted(hits)


def _word_matches(index: _Index, words: list[str]) -> list[int]:
    """Rows whose description holds every word (code order), then rows that match
    only through an inclusion term."""
    first, *others = sorted(words, key=len, reverse=True)  # longest is most selective
    texts = index.texts
    rows = [i for i, text in enumerate(texts) if first in text]
    for word in others:
        rows = [i for i in rows if word in texts[i]]
    heads = index.heads
    in_head = [i for i in rows if all(w in heads[i] for w in words)]
    return in_head + [i for i in rows if not all(w in heads[i] for w in words)]


def search(query: str, limit: int = 20) -> list[Code]:
    """Billable codes matching a code prefix or all words of the description.

    "M22.2", "m222x1" and "m2221" (placeholder X left out) match by code prefix;
    anything else, or a code-like query that matches no code, matches the codes whose
    description, or an inclusion term of the code or its ancestors ("plantar
    fasciitis" -> M72.2), contains every word as a substring ("achil" matches
    "Achilles"). Curated codes come first (in CURATED order), then description
    matches in code order, then inclusion-term matches. Only curated results carry a
    ``side``.
    """
    words = query.lower().split()
    if not words or limit <= 0:
        return []
    index = _index()
    bare = _normalise(query)
    hits = _code_matches(index, bare) if _CODE_LIKE.match(bare) else []
    if not hits:
        hits = _word_matches(index, words)
    return _curated_first(index, hits, limit)


def _curated_first(index: _Index, hits: list[int], limit: int) -> list[Code]:
    """Curated hits in CURATED order, then the other hits in their order; ``limit``."""
    curated = _curated_codes()
    found = set(hits)
    out = [code for b, code in curated.items() if index.by_bare[b] in found][:limit]
    for i in hits:
        if len(out) >= limit:
            break
        if index.bare[i] not in curated:
            out.append(Code(index.dotted[i], index.descriptions[i], None))
    return out


# ------------------------------------------------------------------ laterality

_SIDE_WORDS = re.compile(r"\b(right|left|bilateral)\b", re.IGNORECASE)


def code_side(code: str, description: str = "") -> str | None:
    """RIGHT, LEFT or BILATERAL when the code's description names a side, else None.

    ICD-10-CM writes laterality into the description ("..., right femur"), so the words are
    read from the tabular list; a description the caller already holds saves the lookup.
    """
    text = description or describe(code) or ""
    sides = {m.group(1).lower() for m in _SIDE_WORDS.finditer(text)}
    return sides.pop() if len(sides) == 1 else None


def side_mismatches(involved_side: str, diagnoses) -> list[str]:
    """Codes (of objects with .code and .description) whose side contradicts a one-sided
    evaluation: a right-femur code when the involved side is left. Both sides involved are
    coded left and right separately, so nothing contradicts "both"; a code without a side
    never contradicts."""
    if involved_side not in (LEFT, RIGHT):
        return []
    return [
        d.code
        for d in diagnoses
        if (side := code_side(d.code, d.description)) is not None and side != involved_side
    ]
