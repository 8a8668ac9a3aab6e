"""What every outcome measure is (its items, answers, rule and thresholds) and what
scoring one returns."""

from __future__ import annotations

from dataclasses import dataclass

NOT_A_MAPPING = "answers must be a mapping of item number to points"


@dataclass(frozen=True)
class Measure:
    """One outcome measure: its items, allowed answers, scoring rule and change thresholds."""

    code: str
    name: str
    items: tuple[str, ...]
    labels: tuple[str, ...]  # one per item, same order
    maximum: int
    higher_is_better: bool
    sources: tuple[str, ...]
    item_range: tuple[int, int] = (0, 4)  # inclusive; used where `choices` gives no list
    choices: tuple[tuple[str, tuple[int, ...]], ...] = ()  # items restricted to listed points
    mcid: float | None = None
    # One MCID per condition where the sources derived it in one condition only (VISA-A):
    # (condition key, MCID) pairs; used instead of ``mcid`` for a patient with that condition.
    mcid_by_condition: tuple[tuple[str, float], ...] = ()
    # A relative drop that also counts as meaningful (either one does), as a fraction of the
    # first score; measures whose source gives one only.
    relative_mcid: float | None = None
    mdc: float | None = None
    rule: str = "all"  # "all" items required, "min_answered", or "mean_of_rated"
    min_answered: int = 0
    branches: tuple[str, ...] = ()  # item keys of which exactly one must be answered
    branch_item: str = ""  # the item number the branches stand for
    # What an item's lowest and highest points mean, in the sources' words; () where the
    # sources give none (the editor then shows the points only, never invented words).
    anchors: tuple[str, str] = ()

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.items):
            raise ValueError(f"{self.code}: {len(self.items)} items but {len(self.labels)} labels")

    def allowed(self, key: str) -> tuple[int, ...]:
        """Points the form allows for item `key`."""
        listed = dict(self.choices).get(key)
        if listed is not None:
            return listed
        low, high = self.item_range
        return tuple(range(low, high + 1))

    @property
    def meaningful_change(self) -> float | None:
        """Threshold for change_is_meaningful: the MCID, else the MDC (PSFS)."""
        return self.mcid if self.mcid is not None else self.mdc

    def meaningful_change_for(self, condition: str = "") -> float | None:
        """The threshold for a patient with this condition: the condition's own MCID where the
        measure has one; a measure with per-condition MCIDs only has none for other patients."""
        by_condition = dict(self.mcid_by_condition)
        if condition in by_condition:
            return by_condition[condition]
        return self.meaningful_change

    @property
    def mcid_depends_on_condition(self) -> bool:
        return bool(self.mcid_by_condition)


@dataclass(frozen=True)
class Score:
    """Result of scoring one filled-in measure; total is None when it cannot be scored."""

    measure: str
    total: int | float | None
    maximum: int | None
    percent: float | None
    complete: bool  # every expected item answered and valid (FAAM may be scored while incomplete)
    problems: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # unanswered item keys (VISA-A: "8" when no branch is answered)

    @property
    def scored(self) -> bool:
        return self.total is not None


def _numbered(count: int) -> tuple[str, ...]:
    return tuple(str(number) for number in range(1, count + 1))
