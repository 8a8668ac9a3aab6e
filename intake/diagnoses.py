"""ICD-10-CM codes for the runner conditions of DOMAIN.md section 2, and code search.

Pure Python, no Django. The code list is the CMS ICD-10-CM tabular list shipped
offline by ``simple-icd-10-cm`` 1.5.0 (data files ``code-list-April-2026.txt`` and
``icd10c-tabular-April-1-2026.xml``). That library parses ~10 MB of XML when it is
first imported (about 1.7 s), so it is imported lazily: importing this module and
reading ``CURATED`` costs nothing; the first ``search``/``describe``/``is_billable``
call loads it and builds the search index once.

"Billable" here means what the library calls a leaf code: a category or subcategory
with no children (chapters and blocks are never billable).

Verification of DOMAIN.md section 2 against the library (every code in ``CURATED`` is
checked by ``intake/tests/test_diagnoses.py``: valid, leaf, description as below):

* Patellofemoral pain, M22.2X1 / M22.2X2 / M22.2X9: correct as written.
* Iliotibial band syndrome, M76.31 / M76.32 / M76.30: correct.
* Mid-portion Achilles tendinopathy, "M76.6-": M76.6 is not billable; the billable
  codes are M76.61 right, M76.62 left, M76.60 unspecified ("Achilles tendinitis";
  the tabular list has no separate insertional / mid-portion codes).
* Medial tibial stress syndrome, "S86.89- or M76.8- family": the tabular list has no
  term for MTSS or shin splints. S86.89- is billable only with laterality and a 7th
  character: S86.891A / S86.892A / S86.899A (initial encounter). "M76.8-" is wrong as
  a family: M76.8 has three children, M76.81- (anterior tibial syndrome) and M76.82-
  (posterior tibial tendinitis) name other conditions, so the M76.8 option is M76.89-
  (other specified enthesopathies of lower limb, excluding foot): M76.891 / M76.892 /
  M76.899. Both options are offered. The pointer "shin splints -> S86.89-" comes from
  the ICD-10-CM alphabetical index, which this library does not ship: not verified here.
* Bone stress injury, M84.35- / M84.36- / M84.37-: families exist; the 7th characters
  are A, D, G, K, P, S (A = initial encounter for fracture). The 6th character is a
  site/laterality digit, so there is no "X" placeholder: M84.361A is valid,
  M84.36XA / M84.37XA / M84.35XA do not exist. There is no femoral-neck-specific
  stress fracture code: femoral neck stress fractures go under femur, M84.351A right /
  M84.352A left (M84.35 carries the inclusion term "Stress fracture, hip"). M84.3 also
  carries the inclusion term "Stress reaction".
* Plantar heel pain, M72.2: valid and billable as is, with no laterality (description
  "Plantar fascial fibromatosis", inclusion term "Plantar fasciitis").
* Gluteal tendinopathy / GTPS, M76.01 / M76.02 and bursitis M70.61 / M70.62: correct;
  the unspecified-side codes are M76.00 and M70.60.
* Hip labral tear, S73.191A / S73.192A: valid ("Other sprain of right / left hip,
  initial encounter"; S73.199A unspecified). The tabular list does not name the
  labrum; category S73 includes "traumatic tear of joint or ligament of hip". The
  labral-tear mapping itself comes from the alphabetical index: not verified here.
* Proximal hamstring tendinopathy, "M76.89-": M76.891 / M76.892 / M76.899 (no term
  for the hamstring or the ischial tuberosity in the tabular list).

7th character: the curated list keeps the initial-encounter ("A") codes only;
injury and stress-fracture codes also exist with D/G/K/P/S, and ``search`` finds them.
There are no bilateral codes in these families (code left and right separately).
"""

from __future__ import annotations

import bisect
import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

RIGHT = "right"
LEFT = "left"
UNSPECIFIED = "unspecified"
BILATERAL = "bilateral"
SIDES = (RIGHT, LEFT, UNSPECIFIED, BILATERAL)


@dataclass(frozen=True)
class Code:
    code: str  # with the dot, as printed in the tabular list, e.g. "M22.2X1"
    description: str  # the tabular-list description
    side: str | None  # one of SIDES; None when the code has no laterality or is not curated


@dataclass(frozen=True)
class Condition:
    key: str
    name: str
    codes: tuple[Code, ...]


def _c(code: str, description: str, side: str | None) -> Code:
    return Code(code, description, side)


# Codes and descriptions as in simple-icd-10-cm 1.5.0 (CMS tabular list, April 2026);
# see the module docstring for what was verified and what was changed.
CURATED: tuple[Condition, ...] = (
    Condition(
        "patellofemoral_pain",
        "Patellofemoral pain",
        (
            _c("M22.2X1", "Patellofemoral disorders, right knee", RIGHT),
            _c("M22.2X2", "Patellofemoral disorders, left knee", LEFT),
            _c("M22.2X9", "Patellofemoral disorders, unspecified knee", UNSPECIFIED),
        ),
    ),
    Condition(
        "iliotibial_band_syndrome",
        "Iliotibial band syndrome",
        (
            _c("M76.31", "Iliotibial band syndrome, right leg", RIGHT),
            _c("M76.32", "Iliotibial band syndrome, left leg", LEFT),
            _c("M76.30", "Iliotibial band syndrome, unspecified leg", UNSPECIFIED),
        ),
    ),
    Condition(
        "achilles_midportion",
        "Mid-portion Achilles tendinopathy",
        (
            _c("M76.61", "Achilles tendinitis, right leg", RIGHT),
            _c("M76.62", "Achilles tendinitis, left leg", LEFT),
            _c("M76.60", "Achilles tendinitis, unspecified leg", UNSPECIFIED),
        ),
    ),
    Condition(
        "medial_tibial_stress_syndrome",
        "Medial tibial stress syndrome",
        (
            _c(
                "S86.891A",
                "Other injury of other muscle(s) and tendon(s) at lower leg level, "
                "right leg, initial encounter",
                RIGHT,
            ),
            _c(
                "S86.892A",
                "Other injury of other muscle(s) and tendon(s) at lower leg level, "
                "left leg, initial encounter",
                LEFT,
            ),
            _c(
                "S86.899A",
                "Other injury of other muscle(s) and tendon(s) at lower leg level, "
                "unspecified leg, initial encounter",
                UNSPECIFIED,
            ),
            _c(
                "M76.891",
                "Other specified enthesopathies of right lower limb, excluding foot",
                RIGHT,
            ),
            _c(
                "M76.892",
                "Other specified enthesopathies of left lower limb, excluding foot",
                LEFT,
            ),
            _c(
                "M76.899",
                "Other specified enthesopathies of unspecified lower limb, excluding foot",
                UNSPECIFIED,
            ),
        ),
    ),
    Condition(
        "bone_stress_tibia_fibula",
        "Bone stress injury, tibia or fibula",
        (
            _c("M84.361A", "Stress fracture, right tibia, initial encounter for fracture", RIGHT),
            _c("M84.362A", "Stress fracture, left tibia, initial encounter for fracture", LEFT),
            _c("M84.363A", "Stress fracture, right fibula, initial encounter for fracture", RIGHT),
            _c("M84.364A", "Stress fracture, left fibula, initial encounter for fracture", LEFT),
            _c(
                "M84.369A",
                "Stress fracture, unspecified tibia and fibula, initial encounter for fracture",
                UNSPECIFIED,
            ),
        ),
    ),
    Condition(
        "bone_stress_foot_ankle",
        "Bone stress injury, foot or ankle",
        (
            _c("M84.371A", "Stress fracture, right ankle, initial encounter for fracture", RIGHT),
            _c("M84.372A", "Stress fracture, left ankle, initial encounter for fracture", LEFT),
            _c(
                "M84.373A",
                "Stress fracture, unspecified ankle, initial encounter for fracture",
                UNSPECIFIED,
            ),
            _c("M84.374A", "Stress fracture, right foot, initial encounter for fracture", RIGHT),
            _c("M84.375A", "Stress fracture, left foot, initial encounter for fracture", LEFT),
            _c(
                "M84.376A",
                "Stress fracture, unspecified foot, initial encounter for fracture",
                UNSPECIFIED,
            ),
        ),
    ),
    Condition(
        "bone_stress_pelvis_femur",
        "Bone stress injury, pelvis or femur (including femoral neck)",
        (
            _c("M84.351A", "Stress fracture, right femur, initial encounter for fracture", RIGHT),
            _c("M84.352A", "Stress fracture, left femur, initial encounter for fracture", LEFT),
            _c(
                "M84.353A",
                "Stress fracture, unspecified femur, initial encounter for fracture",
                UNSPECIFIED,
            ),
            _c(
                "M84.359A",
                "Stress fracture, hip, unspecified, initial encounter for fracture",
                UNSPECIFIED,
            ),
            _c("M84.350A", "Stress fracture, pelvis, initial encounter for fracture", None),
        ),
    ),
    Condition(
        "plantar_heel_pain",
        "Plantar heel pain",
        (_c("M72.2", "Plantar fascial fibromatosis", None),),
    ),
    Condition(
        "gluteal_tendinopathy",
        "Gluteal tendinopathy / greater trochanteric pain syndrome",
        (
            _c("M76.01", "Gluteal tendinitis, right hip", RIGHT),
            _c("M76.02", "Gluteal tendinitis, left hip", LEFT),
            _c("M76.00", "Gluteal tendinitis, unspecified hip", UNSPECIFIED),
            _c("M70.61", "Trochanteric bursitis, right hip", RIGHT),
            _c("M70.62", "Trochanteric bursitis, left hip", LEFT),
            _c("M70.60", "Trochanteric bursitis, unspecified hip", UNSPECIFIED),
        ),
    ),
    Condition(
        "hip_labral_tear",
        "Hip labral tear",
        (
            _c("S73.191A", "Other sprain of right hip, initial encounter", RIGHT),
            _c("S73.192A", "Other sprain of left hip, initial encounter", LEFT),
            _c("S73.199A", "Other sprain of unspecified hip, initial encounter", UNSPECIFIED),
        ),
    ),
    Condition(
        "proximal_hamstring_tendinopathy",
        "Proximal hamstring tendinopathy",
        (
            _c(
                "M76.891",
                "Other specified enthesopathies of right lower limb, excluding foot",
                RIGHT,
            ),
            _c(
                "M76.892",
                "Other specified enthesopathies of left lower limb, excluding foot",
                LEFT,
            ),
            _c(
                "M76.899",
                "Other specified enthesopathies of unspecified lower limb, excluding foot",
                UNSPECIFIED,
            ),
        ),
    ),
)

CURATED_BY_KEY: dict[str, Condition] = {c.key: c for c in CURATED}

# Body regions of the intake pain map -> curated conditions, in order of relevance.
# Project mapping from where DOMAIN.md s.2 ("key findings") and s.3 (femoral neck:
# groin pain) place the pain; not a published rule. No curated condition is a low
# back condition, so "low_back" maps to nothing: use search() there.
REGIONS: dict[str, tuple[str, ...]] = {
    "hip": (
        "gluteal_tendinopathy",
        "hip_labral_tear",
        "bone_stress_pelvis_femur",
        "proximal_hamstring_tendinopathy",
    ),
    "groin": ("hip_labral_tear", "bone_stress_pelvis_femur"),
    "thigh": ("proximal_hamstring_tendinopathy", "bone_stress_pelvis_femur"),
    "knee": ("patellofemoral_pain", "iliotibial_band_syndrome"),
    "shin": ("medial_tibial_stress_syndrome", "bone_stress_tibia_fibula"),
    "calf": ("medial_tibial_stress_syndrome", "bone_stress_tibia_fibula", "achilles_midportion"),
    "achilles": ("achilles_midportion",),
    "ankle": ("bone_stress_foot_ankle", "achilles_midportion"),
    "heel_foot": ("plantar_heel_pain", "bone_stress_foot_ankle"),
    "low_back": (),
}


def curated_for_region(region: str) -> tuple[Condition, ...]:
    """Curated conditions relevant to a body region (a key of ``REGIONS``)."""
    if region not in REGIONS:
        raise ValueError(f"unknown body region {region!r}; expected one of {sorted(REGIONS)}")
    return tuple(CURATED_BY_KEY[key] for key in REGIONS[region])


@cache
def _curated_codes() -> dict[str, Code]:
    """Curated codes without the dot -> Code, first occurrence wins, CURATED order."""
    out: dict[str, Code] = {}
    for condition in CURATED:
        for code in condition.codes:
            out.setdefault(_normalise(code.code), code)
    return out


# ------------------------------------------------------------------ lookup


def _normalise(code: str) -> str:
    """Upper case without dots or spaces: "m22.2x1 " -> "M222X1"."""
    return re.sub(r"[\s.]", "", code).upper()


def _with_dot(bare: str) -> str:
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


# The billable codes with their descriptions and inclusion terms, generated from the
# library by `manage.py build_icd10_list` and shipped with the app: reading it takes
# ~0.3 s and little memory, where importing the library takes ~2 s and ~190 MB.
CODE_LIST = Path(__file__).resolve().parent / "data" / "icd10cm.tsv.gz"


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
