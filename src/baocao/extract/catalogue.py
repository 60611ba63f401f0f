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
from .phrases import PhraseIndex
from .phrases import key as _words_key

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
    growth: str | None = None  # the indicator its year-on-year change is published as
    examples: dict = field(default_factory=dict, hash=False, compare=False)

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


# ---------------------------------------------------------------------------- forms
class CatalogueError(ValueError):
    """A catalogue file that does not follow the schema (raised at load, named)."""


_FORM_TOKEN = re.compile(r"\[|\]|\(|\)|\||\{[A-Za-z_][A-Za-z0-9_]*\}|(?:\\.|[^\[\]()|{}\\])+")
MAX_EXPANSIONS = 5000  # phrases one form may stand for (a typo would explode silently)


def expand_form(form: str, terms: dict[str, list[str]]) -> set[str]:
    """Every phrase a form stands for, as index keys (:func:`phrase_key`): ``[x]`` is
    optional (``[a|b]``: a, b or nothing), ``(a|b)`` an alternative, ``{Name}`` one of the
    phrases of term ``Name`` (given as keys); ``\\(`` is a printed bracket.

    >>> sorted(expand_form("[tổng] thu (ngân sách|NSNN)", {}))
    ['thu ngân sách', 'thu nsnn', 'tổng thu ngân sách', 'tổng thu nsnn']
    """
    tokens = _FORM_TOKEN.findall(form)
    phrases, rest = _sequence(tokens, 0, terms, form)
    if rest != len(tokens):
        raise CatalogueError(f"form {form!r}: unbalanced brackets")
    out = {p.strip() for p in phrases}
    out.discard("")
    if len(out) > MAX_EXPANSIONS:
        raise CatalogueError(f"form {form!r} stands for {len(out)} phrases")
    return out


def _sequence(tokens: list[str], i: int, terms: dict, form: str) -> tuple[set[str], int]:
    """Phrases of tokens[i:] up to a closing bracket or a bar."""
    acc = {""}
    while i < len(tokens) and tokens[i] not in ("]", ")", "|"):
        part, i = _item(tokens, i, terms, form)
        acc = {f"{a} {p}".strip() for a in acc for p in part}
    return acc, i


def _item(tokens: list[str], i: int, terms: dict, form: str) -> tuple[set[str], int]:
    token = tokens[i]
    if token in ("[", "("):
        close = "]" if token == "[" else ")"
        options: set[str] = set()
        while True:
            inner, i = _sequence(tokens, i + 1, terms, form)
            options |= inner
            if i >= len(tokens) or tokens[i] not in ("|", close):
                raise CatalogueError(f"form {form!r}: {token!r} is not closed")
            if tokens[i] == close:
                return (options | {""} if token == "[" else options), i + 1
    if token.startswith("{"):
        name = token[1:-1]
        if name not in terms:
            raise CatalogueError(f"form {form!r}: unknown term {{{name}}}")
        return set(terms[name]), i + 1
    return {phrase_key(re.sub(r"\\(.)", r"\1", token))}, i + 1


INDICATOR_KEYS = {
    "id", "name_vi", "name_en", "unit", "kind", "flagship", "noun", "default_period", "role",
    "role_of", "phrases", "forms", "within", "description", "dimension", "bare_percent",
    "bare_change", "contribution", "share", "growth", "examples",
}
SHARED_KEYS = {"terms", "roles", "domains", "blockers"}
KINDS = {"flow", "stock", "index", "rate"}


def phrase_key(phrase: str) -> str:
    """The form a phrase is indexed under: folded, its words joined by single spaces."""
    return _words_key(fold(phrase))


def family(indicator_id: str) -> str:
    """The family of an indicator: the first part of its id (``budget``, ``trade``)."""
    return indicator_id.split(".", 1)[0]


def _check_entry(entry: dict, where: str) -> None:
    unknown = set(entry) - INDICATOR_KEYS
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key in ("id", "name_vi", "name_en", "unit", "kind"):
        if key not in entry:
            raise CatalogueError(f"{where}: no {key}")
    if entry["kind"] not in KINDS:
        raise CatalogueError(f"{where}: kind {entry['kind']!r} is not one of {sorted(KINDS)}")


class Catalogue:
    """Indicators by id and by phrase, role words, domain words, and units."""

    def __init__(self, data: dict, units: dict, identities: dict | None = None) -> None:
        self.indicators: dict[str, Indicator] = {}
        self.by_phrase: dict[str, list[str]] = {}
        self.within: dict[str, dict[str, list[str]]] = {}
        self.terms = self._terms(data.get("terms") or {})
        self.roles: dict[str, list[str]] = {k: list(v) for k, v in data.get("roles", {}).items()}
        self.role_phrase = {phrase_key(p): role for role, ps in self.roles.items() for p in ps}
        self.domain_phrase = {phrase_key(p): fam
                              for fam, ps in (data.get("domains") or {}).items() for p in ps}
        self.blockers = {phrase_key(p) for p in data.get("blockers") or ()}
        for entry in data["indicators"]:
            self._add(entry)
        self._check_references()
        self.global_index = PhraseIndex([*self.by_phrase, *self.role_phrase,
                                         *self.domain_phrase, *self.blockers], keyed=True)
        self.within_index = {parent: PhraseIndex(phrases, keyed=True)
                             for parent, phrases in self.within.items()}
        self._units(units)
        self.totals_of = self._totals((identities or {}).get("identities") or [])

    @staticmethod
    def _totals(identities: list[dict]) -> dict[str, tuple[str, ...]]:
        """Component id → the ids of the totals it is part of (``identities.yaml``)."""
        totals: dict[str, list[str]] = {}
        for ident in identities:
            for part in ident.get("components") or ():
                totals.setdefault(part, []).append(ident["total"])
        return {part: tuple(dict.fromkeys(ids)) for part, ids in totals.items()}

    def _terms(self, raw: dict) -> dict[str, list[str]]:
        terms: dict[str, list[str]] = {}
        for name, values in raw.items():  # a term may use the terms defined before it
            terms[name] = sorted({p for v in values for p in expand_form(str(v), terms)})
        return terms

    def _add(self, entry: dict) -> None:
        where = f"indicator {entry.get('id', '?')}"
        _check_entry(entry, where)
        phrases = {phrase_key(p) for p in entry.get("phrases", ())}
        for form in entry.get("forms", ()):
            phrases |= expand_form(form, self.terms)
        within = {parent: {p for form in forms for p in expand_form(form, self.terms)}
                  for parent, forms in (entry.get("within") or {}).items()}
        ind = Indicator(
            id=entry["id"], name_vi=entry["name_vi"], name_en=entry["name_en"],
            unit=entry["unit"], kind=entry["kind"], flagship=bool(entry.get("flagship", False)),
            noun=entry.get("noun"), default_period=entry.get("default_period"),
            role=entry.get("role"), role_of=tuple(entry.get("role_of", ())),
            phrases=tuple(sorted(phrases)),
            within={k: tuple(sorted(v)) for k, v in within.items()},
            description=entry.get("description", ""), dimension=entry.get("dimension"),
            bare_percent=entry.get("bare_percent"), contribution=entry.get("contribution"),
            bare_change=entry.get("bare_change"), share=entry.get("share"),
            growth=entry.get("growth"), examples=entry.get("examples") or {},
        )
        if ind.id in self.indicators:
            raise CatalogueError(f"duplicate indicator id {ind.id}")
        self.indicators[ind.id] = ind
        for phrase in ind.phrases:
            ids = self.by_phrase.setdefault(phrase, [])
            if ind.id not in ids:
                ids.append(ind.id)
        for parent, parent_phrases in ind.within.items():
            for phrase in parent_phrases:
                ids = self.within.setdefault(parent, {}).setdefault(phrase, [])
                if ind.id not in ids:
                    ids.append(ind.id)

    def _check_references(self) -> None:
        families = {family(i) for i in self.indicators}
        for ind in self.indicators.values():
            refs = [*ind.role_of, ind.contribution, ind.share, ind.growth]
            for ref in filter(None, refs):
                if ref not in self.indicators:
                    raise CatalogueError(f"indicator {ind.id}: unknown indicator {ref}")
            for parent in ind.within:
                if parent not in self.indicators and parent not in families:
                    raise CatalogueError(f"indicator {ind.id}: within unknown {parent}")
        for fam in set(self.domain_phrase.values()) - families:
            raise CatalogueError(f"domain {fam}: no indicator of that family")

    def _units(self, units: dict) -> None:
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
        for start, end, k in self.global_index.leftmost_longest(tone_fold(phrase)):
            ids = self.by_phrase.get(k, [])
            if ids and end - start > best_len:
                best, best_len = ids, end - start
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

    def siblings(self, indicator_id: str) -> list[str]:
        """The indicators a role ties to ``indicator_id``: those playing a role for it
        (its capital, its deaths) and those it plays a role for (the count of a capital)."""
        ind = self.indicators.get(indicator_id)
        own = list(ind.role_of) if ind is not None else []
        theirs = [i.id for i in self.indicators.values() if indicator_id in i.role_of]
        return list(dict.fromkeys(own + theirs))

    def dimension(self, indicator: Indicator) -> str:
        """The unit dimension an indicator's figures must have."""
        if indicator.dimension:
            return indicator.dimension
        if indicator.unit == "VND mn":
            return "money_vnd"
        return self.dimension_of_unit.get(indicator.unit, indicator.unit)


def read_indicator_files() -> dict:
    """The indicator catalogue's files merged: ``_shared.yaml`` (terms, roles, domains,
    blockers) and one file of ``indicators`` per domain, in file-name order."""
    from .lexicon import load_yaml

    folder = resources.files("baocao.catalogue").joinpath("indicators")
    merged: dict = {"indicators": []}
    for item in sorted(folder.iterdir(), key=lambda x: x.name):
        if not item.name.endswith(".yaml"):
            continue
        data = load_yaml(item.read_text(encoding="utf-8"), item.name) or {}
        unknown = set(data) - SHARED_KEYS - {"indicators"}
        if unknown:
            raise CatalogueError(f"{item.name}: unknown section(s) {sorted(unknown)}")
        merged["indicators"].extend(data.get("indicators") or [])
        for key in SHARED_KEYS & set(data):
            merged.setdefault(key, {} if key != "blockers" else [])
            if key == "blockers":
                merged[key].extend(data[key])
            else:
                merged[key].update(data[key])
    return merged


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The packaged catalogue (cached)."""
    pkg = resources.files("baocao.catalogue")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    units = yaml.load(pkg.joinpath("units.yaml").read_text(encoding="utf-8"), Loader=loader)
    identities = yaml.load(pkg.joinpath("identities.yaml").read_text(encoding="utf-8"),
                           Loader=loader)
    return Catalogue(read_indicator_files(), units, identities)
