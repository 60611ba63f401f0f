"""The types the reader's stages pass along: mentions, subjects, rows and contexts.

Positions are offsets in a sentence's clean text (``Sentence.text``); the emission stage
maps them back to the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .periods import Cue, Period


@dataclass
class Mention:
    """An indicator named in the text (possibly several ids, resolved later by the unit)."""

    start: int
    end: int
    text: str
    ids: list[str]
    role: str | None = None  # a role word ("doanh thu", "chết"): a sibling of the subject
    within: str | None = None  # parent id when the phrase is a component phrase
    domain: str | None = None  # a family named by a domain word ("ngân sách" → budget)
    blocker: bool = False  # words that look like a name but name nothing tracked ("thu hút")


@dataclass
class Subject:
    """What the words so far are about: one or more candidate ids, or something unknown."""

    ids: tuple[str, ...] = ()
    label: str = ""
    unknown: bool = False  # the last thing named is not in the catalogue
    subordinate: bool = False  # a component or a role sibling of the sentence's head

    @property
    def id(self) -> str | None:
        """The single id named, or None."""
        return self.ids[0] if len(self.ids) == 1 else None

    @property
    def key(self) -> str | None:
        """All candidate ids as one key (``a|b``), or None."""
        return "|".join(self.ids) if self.ids else None


@dataclass
class Row:
    """One observation before it becomes a frame row (clean-text positions)."""

    indicator: str | None
    label: str
    period: Period | None
    measure: str
    base: str | None
    value: float
    unit: str
    printed: str
    qualifier: str | None
    status: str
    start: int
    end: int
    flags: list[str] = field(default_factory=list)
    note: str = ""
    candidates: list[str] = field(default_factory=list)
    period_pending: bool = False
    component_of: str | None = None
    decimals: int = 0
    through: bool = False  # the period was printed as "đến hết tháng N" (an as-of for stocks)
    stock: bool = False  # counted as held ("đang triển khai …"), whatever the indicator's kind
    period_printed: bool = False  # the period was printed in the figure's own sentence


@dataclass
class Context:
    """What a sentence inherits: from the sentence citing a footnote, the introduction of
    a list, the sentence a continuation goes on from, or a heading."""

    parent: str | None = None
    period: Period | None = None
    status: str = "actual"
    comparator: Cue | None = None


@dataclass
class SentenceResult:
    """A sentence's rows and what the next sentences and its footnotes inherit."""

    rows: list[Row]
    head: str | None
    period_at: dict[int, Period | None]
    status_at: dict[int, str]
    comparator_at: dict[int, Cue | None]
    final_period: Period | None = None
    final_comparator: Cue | None = None
    named: list[Mention] = field(default_factory=list)  # indicators it names, in order
