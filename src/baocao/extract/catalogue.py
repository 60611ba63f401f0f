"""The indicator and unit catalogues (``baocao/catalogue/*.yaml``), loaded once.

Knowledge of how reports name things lives in those data files; this module only
indexes them for fast, longest-first, whole-word matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry."""

    id: str
    name_vi: str
    name_en: str
    unit: str
    kind: str
    flagship: bool = False
    noun: str | None = None
    default_period: str | None = None
    role: str | None = None
    role_of: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    within: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    description: str = ""
    dimension: str | None = None  # overrides the unit's dimension (health visits vs tourists)
    bare_percent: str | None = None  # measure of a bare percentage (growth-rate indicators)

    @property
    def is_stock(self) -> bool:
        return self.kind == "stock"


@dataclass(frozen=True)
class Unit:
    """A unit word and how it maps onto the contract's canonical units."""

    phrase: str
    unit: str
    factor: float
    dimension: str
    noun: str | None = None


def fold(text: str) -> str:
    """Lower-case NFC form used for matching (đ and Vietnamese tone marks are kept)."""
    return unicodedata.normalize("NFC", text).lower()


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)


class Catalogue:
    """Indicators by id and by phrase, role words, and units."""

    def __init__(self, data: dict, units: dict) -> None:
        self.indicators: dict[str, Indicator] = {}
        self.by_phrase: dict[str, list[str]] = {}
        self.within: dict[str, dict[str, list[str]]] = {}
        self.roles: dict[str, list[str]] = {k: list(v) for k, v in data.get("roles", {}).items()}
        self.role_phrase: dict[str, str] = {}
        for entry in data["indicators"]:
            ind = Indicator(
                id=entry["id"],
                name_vi=entry["name_vi"],
                name_en=entry["name_en"],
                unit=entry["unit"],
                kind=entry["kind"],
                flagship=bool(entry.get("flagship", False)),
                noun=entry.get("noun"),
                default_period=entry.get("default_period"),
                role=entry.get("role"),
                role_of=tuple(entry.get("role_of", ())),
                phrases=tuple(entry.get("phrases", ())),
                within={k: tuple(v) for k, v in entry.get("within", {}).items()},
                description=entry.get("description", ""),
                dimension=entry.get("dimension"),
                bare_percent=entry.get("bare_percent"),
            )
            if ind.id in self.indicators:
                raise ValueError(f"duplicate indicator id {ind.id}")
            self.indicators[ind.id] = ind
            for phrase in ind.phrases:
                self.by_phrase.setdefault(fold(phrase), []).append(ind.id)
            for parent, phrases in ind.within.items():
                for phrase in phrases:
                    self.within.setdefault(parent, {}).setdefault(fold(phrase), []).append(ind.id)
        for role, phrases in self.roles.items():
            for phrase in phrases:
                self.role_phrase[fold(phrase)] = role
        self.global_pattern = _phrase_pattern(list(self.by_phrase) + list(self.role_phrase))
        self.within_patterns = {
            parent: _phrase_pattern(list(phrases)) for parent, phrases in self.within.items()
        }
        self.units: dict[str, Unit] = {}
        for entry in units["units"]:
            for phrase in entry["phrases"]:
                self.units[fold(phrase)] = Unit(
                    phrase, entry["unit"], float(entry["factor"]), entry["dimension"],
                    entry.get("noun"),
                )
        self.dimension_of_unit: dict[str, str] = {}
        for u in self.units.values():
            self.dimension_of_unit.setdefault(u.unit, u.dimension)
        self.dimension_of_unit.setdefault("%", "percent")

    def get(self, indicator_id: str) -> Indicator | None:
        """The entry for ``indicator_id``, or None."""
        return self.indicators.get(indicator_id)

    def match(self, phrase: str) -> Indicator | None:
        """The indicator a whole label names (e.g. a table row label), or None.

        The longest catalogue phrase found in the label wins; ambiguous labels give None.
        """
        best: list[str] = []
        best_len = 0
        for m in self.global_pattern.finditer(phrase):
            ids = self.by_phrase.get(fold(re.sub(r"\s+", " ", m.group(0))), [])
            if ids and len(m.group(0)) > best_len:
                best, best_len = ids, len(m.group(0))
        if len(best) == 1:
            return self.indicators[best[0]]
        return None

    def role_target(self, role: str, context_ids: list[str]) -> str | None:
        """The sibling playing ``role`` for the first indicator in ``context_ids`` that has one
        (a sibling's own parent counts: after "làm chết" the deaths' accident is in context)."""
        expanded: list[str] = []
        for cid in context_ids:
            expanded.append(cid)
            ind = self.indicators.get(cid)
            if ind is not None:
                expanded.extend(ind.role_of)
        for cid in expanded:
            for ind in self.indicators.values():
                if ind.role == role and cid in ind.role_of:
                    return ind.id
        return None

    def dimension(self, indicator: Indicator) -> str:
        """The unit dimension an indicator's figures must have."""
        if indicator.dimension:
            return indicator.dimension
        return self.dimension_of_unit.get(indicator.unit, indicator.unit)


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The packaged catalogue (cached)."""
    pkg = resources.files("baocao.catalogue")
    data = yaml.safe_load(pkg.joinpath("indicators.yaml").read_text(encoding="utf-8"))
    units = yaml.safe_load(pkg.joinpath("units.yaml").read_text(encoding="utf-8"))
    return Catalogue(data, units)
