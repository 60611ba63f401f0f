"""The grammar's own words as data: named, composable patterns loaded from the catalogue.

Knowledge of how reports write periods, comparisons, verbs and scopes lives in
``baocao/catalogue/<language>/*.yaml`` (as Microsoft Recognizers-Text keeps per-language
pattern files). Each file may hold four sections:

``fragments``
    ``Name: pattern`` (or ``{pattern, case, bounded, examples}``): a named regex that other
    patterns include as ``{Name}``.
``groups``
    ``name: [entry, ...]``: ordered lists of patterns with a meaning (``{name, pattern,
    examples, ...}``; every key other than the pattern keys is the entry's meaning, which
    the language-neutral code reads, e.g. ``base: yoy``).
``words``
    ``name: [word, ...]``: word sets (matched on the tone-folded lower-case form).
``maps``
    ``name: {word: value}``: dictionaries (month words to numbers, qualifiers to codes).

Pattern syntax is Python's ``re`` with two additions: ``{Name}`` includes a fragment, and a
literal space outside a character class stands for ``\\s+`` (text is written as words). A
pattern is case-insensitive unless ``case: sensitive``, and whole-word (``(?<!\\w)…(?!\\w)``)
unless ``bounded: false``. Every pattern may carry examples (``examples: {yes: [...],
find: [...], no: [...]}``): each ``yes`` example must match whole, a match must be found
in each ``find`` example, and each ``no`` example must not match anywhere. The
test suite runs them all (as Duckling keeps a corpus and a negative corpus beside its rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .normalize import UPPER_LETTERS, fold

PATTERN_KEYS = {"name", "pattern", "case", "bounded", "examples"}
SECTIONS = {"fragments", "groups", "words", "maps"}
_REF = re.compile(r"\{([A-Z][A-Za-z0-9_]*)\}")
# fragments the code provides: character classes, not vocabulary
BUILTIN = {"Upper": f"[{UPPER_LETTERS}]"}


class LexiconError(ValueError):
    """A catalogue file that does not follow the schema (raised at load, named)."""


@dataclass(frozen=True)
class Entry:
    """One named pattern with its meaning."""

    name: str
    regex: re.Pattern[str]
    meaning: dict[str, Any] = field(default_factory=dict, hash=False)
    yes: tuple[str, ...] = ()
    find: tuple[str, ...] = ()
    no: tuple[str, ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        """A meaning key of this entry."""
        return self.meaning.get(key, default)


def _spaces(pattern: str) -> str:
    """Literal spaces outside character classes become ``\\s+``."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            if not (out and out[-1] == r"\s+"):
                out.append(r"\s+")
        else:
            out.append(ch)
    return "".join(out)


Examples = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _examples(spec: Any, where: str) -> Examples:
    """(yes, find, no) examples of a pattern spec."""
    if spec is None:
        return (), (), ()
    if isinstance(spec, dict):  # YAML 1.1 reads the keys yes/no as booleans
        spec = {{True: "yes", False: "no"}.get(k, k): v for k, v in spec.items()}
    if not isinstance(spec, dict) or set(spec) - {"yes", "no", "find"}:
        raise LexiconError(f"{where}: examples must be {{yes: [...], find: [...], no: [...]}}")
    return tuple(spec.get(k) or () for k in ("yes", "find", "no"))  # type: ignore[return-value]


class Lexicon:
    """All catalogue files of one language, with fragments resolved and patterns compiled."""

    def __init__(self, documents: dict[str, dict]) -> None:
        self.sources: dict[str, str] = {}  # fragment name -> raw pattern
        self.fragment_specs: dict[str, dict] = {}
        self.group_specs: dict[str, list[dict]] = {}
        self.word_sets: dict[str, frozenset[str]] = {}
        self.dictionaries: dict[str, dict[str, Any]] = {}
        for filename, data in sorted(documents.items()):
            self._collect(filename, data or {})
        self._expanded: dict[str, str] = {}
        self.fragments = {name: self._fragment(name) for name in self.fragment_specs}
        self.groups = {
            name: [self._entry(name, i, spec) for i, spec in enumerate(specs)]
            for name, specs in self.group_specs.items()
        }

    # ------------------------------------------------------------------ loading
    def _collect(self, filename: str, data: dict) -> None:
        unknown = set(data) - SECTIONS
        if unknown:
            raise LexiconError(f"{filename}: unknown section(s) {sorted(unknown)}")
        for name, spec in (data.get("fragments") or {}).items():
            if name in self.fragment_specs or name in BUILTIN:
                raise LexiconError(f"{filename}: fragment {name} defined twice")
            spec = {"pattern": spec} if isinstance(spec, str) else dict(spec)
            if set(spec) - PATTERN_KEYS:
                raise LexiconError(f"{filename}: fragment {name}: unknown keys "
                                   f"{sorted(set(spec) - PATTERN_KEYS)}")
            self.fragment_specs[name] = spec
        for name, entries in (data.get("groups") or {}).items():
            if name in self.group_specs:
                raise LexiconError(f"{filename}: group {name} defined twice")
            self.group_specs[name] = [dict(e) for e in entries]
        for name, words in (data.get("words") or {}).items():
            if name in self.word_sets:
                raise LexiconError(f"{filename}: word set {name} defined twice")
            self.word_sets[name] = frozenset(fold(w) for w in words)
        for name, mapping in (data.get("maps") or {}).items():
            if name in self.dictionaries:
                raise LexiconError(f"{filename}: map {name} defined twice")
            self.dictionaries[name] = {fold(str(k)): v for k, v in mapping.items()}

    def expand(self, pattern: str, trail: tuple[str, ...] = ()) -> str:
        """``pattern`` with its ``{Name}`` references replaced and spaces made ``\\s+``."""

        def include(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in BUILTIN:
                return BUILTIN[name]
            if name in trail:
                raise LexiconError(f"fragment cycle: {' -> '.join((*trail, name))}")
            if name not in self.fragment_specs:
                raise LexiconError(f"unknown fragment {{{name}}} in {trail[-1:] or pattern!r}")
            return "(?:" + self._raw(name, (*trail, name)) + ")"

        return _REF.sub(include, _spaces(pattern))

    def _raw(self, name: str, trail: tuple[str, ...]) -> str:
        if name not in self._expanded:
            self._expanded[name] = self.expand(str(self.fragment_specs[name]["pattern"]), trail)
        return self._expanded[name]

    def _compile(self, source: str, spec: dict, where: str) -> re.Pattern[str]:
        body = self.expand(source, (where,))
        if spec.get("bounded", True):
            body = rf"(?<!\w)(?:{body})(?!\w)"
        flags = 0 if spec.get("case") == "sensitive" else re.IGNORECASE
        try:
            return re.compile(body, flags)
        except re.error as exc:
            raise LexiconError(f"{where}: {exc}") from exc

    def _fragment(self, name: str) -> re.Pattern[str]:
        spec = self.fragment_specs[name]
        self._raw(name, (name,))
        return self._compile(str(spec["pattern"]), spec, name)

    def _entry(self, group: str, index: int, spec: dict) -> Entry:
        where = f"{group}[{spec.get('name', index)}]"
        if "pattern" not in spec:
            raise LexiconError(f"{where}: no pattern")
        yes, find, no = _examples(spec.get("examples"), where)
        meaning = {k: v for k, v in spec.items() if k not in PATTERN_KEYS}
        regex = self._compile(str(spec["pattern"]), spec, where)
        return Entry(str(spec.get("name", index)), regex, meaning, yes, find, no)

    # ------------------------------------------------------------------ access
    def pattern(self, name: str) -> re.Pattern[str]:
        """The compiled fragment ``name``."""
        return self.fragments[name]

    def group(self, name: str) -> list[Entry]:
        """The entries of group ``name``, in file order."""
        return self.groups[name]

    def words(self, name: str) -> frozenset[str]:
        """The word set ``name`` (tone-folded, lower case)."""
        return self.word_sets[name]

    def map(self, name: str) -> dict[str, Any]:
        """The dictionary ``name`` (keys tone-folded, lower case)."""
        return self.dictionaries[name]

    def examples(self):
        """Every (where, regex, yes, find, no) to check: fragments and group entries."""
        for name, spec in self.fragment_specs.items():
            yield (name, self.fragments[name], *_examples(spec.get("examples"), name))
        for group, entries in self.groups.items():
            for e in entries:
                yield f"{group}[{e.name}]", e.regex, e.yes, e.find, e.no


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader, refusing a key given twice in one mapping (YAML itself keeps
    the last one silently: a second ``within: {trade: …}`` would drop the first)."""

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML's hook
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise LexiconError(f"line {key_node.start_mark.line + 1}: key {key!r} "
                                   "given twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, where: str) -> Any:
    """Parse one catalogue file strictly (duplicate keys are an error, named)."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except LexiconError as exc:
        raise LexiconError(f"{where}: {exc}") from None


def _read_language(language: str) -> dict[str, dict]:
    folder = resources.files("baocao.catalogue").joinpath(language)
    return {
        item.name: load_yaml(item.read_text(encoding="utf-8"), item.name)
        for item in folder.iterdir()
        if item.name.endswith(".yaml")
    }


@lru_cache(maxsize=4)
def load_lexicon(language: str = "vi") -> Lexicon:
    """The packaged lexicon of ``language`` (cached)."""
    return Lexicon(_read_language(language))
