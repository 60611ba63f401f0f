"""The indicator and unit catalogues (``baocao/catalogue/*.yaml``), loaded once.

Knowledge of how reports name things lives in those data files; this module only
indexes them for fast, longest-first, whole-word matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from .normalize import fold, tone_fold

__all__ = ["Catalogue", "Indicator", "Unit", "fold", "load_catalogue", "tone_fold"]


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
    bare_change: str | None = None  # measure of a change printed with no base (herds: yoy)
    contribution: str | None = None  # where its "điểm phần trăm" contribution goes
    share: str | None = None  # where its "chiếm X%" share goes

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
    implies: str | None = None  # an indicator the unit names by itself ("lượt khách")


def _trie_regex(phrases: set[str]) -> str:
    """One regex for many phrases, as a character trie: 13x faster than a flat alternation
    of hundreds of phrases, with the same longest-first matching (quantifiers are greedy)."""
    root: dict = {}
    for phrase in phrases:
        node = root
        for ch in re.sub(r"\s+", " ", phrase):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [
            (r"\s+" if ch == " " else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return body

    return build(root)


def _phrase_pattern(phrases: list[str], overlapping: bool = False) -> re.Pattern[str]:
    """Whole-word, longest-first matcher of ``phrases``. ``overlapping=True`` finds a match
    at every word start (in group 1), so a long phrase starting inside a shorter one
    ("Tổng [vốn đầu tư phát triển toàn xã hội]") is not hidden by it."""
    body = _trie_regex({fold(p) for p in phrases})
    if overlapping:
        return re.compile(rf"(?<![\w])(?=({body})(?![\w]))", re.IGNORECASE)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


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
                contribution=entry.get("contribution"),
                bare_change=entry.get("bare_change"),
                share=entry.get("share"),
            )
            if ind.id in self.indicators:
                raise ValueError(f"duplicate indicator id {ind.id}")
            self.indicators[ind.id] = ind
            for phrase in ind.phrases:
                ids = self.by_phrase.setdefault(fold(phrase), [])
                if ind.id not in ids:
                    ids.append(ind.id)
            for parent, phrases in ind.within.items():
                for phrase in phrases:
                    ids = self.within.setdefault(parent, {}).setdefault(fold(phrase), [])
                    if ind.id not in ids:
                        ids.append(ind.id)
        for role, phrases in self.roles.items():
            for phrase in phrases:
                self.role_phrase[fold(phrase)] = role
        self.global_pattern = _phrase_pattern(list(self.by_phrase) + list(self.role_phrase))
        self.within_patterns = {
            parent: _phrase_pattern(list(phrases)) for parent, phrases in self.within.items()
        }
        self.global_overlap = _phrase_pattern(
            list(self.by_phrase) + list(self.role_phrase), overlapping=True
        )
        self.within_overlap = {
            parent: _phrase_pattern(list(phrases), overlapping=True)
            for parent, phrases in self.within.items()
        }
        self.units: dict[str, Unit] = {}
        for entry in units["units"]:
            for phrase in entry["phrases"]:
                self.units[fold(phrase)] = Unit(
                    phrase, entry["unit"], float(entry["factor"]), entry["dimension"],
                    entry.get("noun"), entry.get("implies"),
                )
        self.dimension_of_unit: dict[str, str] = {}
        for u in self.units.values():
            self.dimension_of_unit.setdefault(u.unit, u.dimension)
        self.dimension_of_unit.setdefault("%", "percent")
        self.dimension_of_unit.setdefault("VND mn", "money_vnd")
        self.dimension_of_unit.setdefault("pp", "pp")

    def get(self, indicator_id: str) -> Indicator | None:
        """The entry for ``indicator_id``, or None."""
        return self.indicators.get(indicator_id)

    def match(self, phrase: str) -> Indicator | None:
        """The indicator a whole label names (e.g. a table row label), or None.

        The longest catalogue phrase found in the label wins; ambiguous labels give None.
        """
        best: list[str] = []
        best_len = 0
        for m in self.global_pattern.finditer(tone_fold(phrase)):
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
        if indicator.unit == "VND mn":
            return "money_vnd"
        return self.dimension_of_unit.get(indicator.unit, indicator.unit)


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The packaged catalogue (cached)."""
    pkg = resources.files("baocao.catalogue")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is 10x faster
    data = yaml.load(pkg.joinpath("indicators.yaml").read_text(encoding="utf-8"), Loader=loader)
    units = yaml.load(pkg.joinpath("units.yaml").read_text(encoding="utf-8"), Loader=loader)
    return Catalogue(data, units)
