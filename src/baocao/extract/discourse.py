"""The report as a discourse: what a sentence inherits from the text around it.

A sentence seldom says everything: a continuation ("Trong đó, …") goes on with the
previous sentence's subject, period and comparison base; the items of a list introduced
by "…8 tháng:" take the introduction's; a footnote takes the period, status, subject and
comparison base of the sentence that cites it. This module walks a report's sentences in
order, hands each its inheritance, and collects the rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..limits import check_deadline
from .catalogue import Catalogue, family, fold
from .consistency import check_report
from .lexicon import load_lexicon
from .mentions import find_mentions
from .model import Context, Row, SentenceResult
from .periods import Period, ReportContext
from .reader import SentenceReader
from .resolve import resolve_by_arithmetic
from .textmodel import _BULLET, Sentence, TextModel


def detect_province(text: str) -> str | None:
    """The province a report is about: the name most often written after "tỉnh" (or, for
    the centrally run cities, after "thành phố"/"TP")."""
    lex = load_lexicon()
    for name in ("ProvinceName", "CentralCityName"):
        names = Counter(m.group("name") for m in lex.pattern(name).finditer(text[:200_000]))
        if names:
            return names.most_common(1)[0][0]
    return None


def detect_publisher(head: str) -> str | None:
    """A short publisher code from a report's first lines (``ubnd``, ``ctk``), or None."""
    folded = fold(head)
    return next((e.name for e in load_lexicon().group("publishers")
                 if e.regex.search(folded)), None)


# Tests set this: an exception of the sentence reader is then raised, not skipped.
STRICT = False


def read_safely(sentence: Sentence, cat: Catalogue, ctx: ReportContext,
                inherited: Context | None, head: str | None, period: Period | None,
                families: tuple[str, ...] = (),
                previous: SentenceResult | None = None) -> SentenceResult | None:
    """Read one sentence; a sentence the reader cannot read yields nothing rather than
    costing the whole report (a missing figure is better than a lost report). The report's
    deadline is checked before each sentence."""
    check_deadline("reading the report's sentences")
    try:
        return SentenceReader(sentence, cat, ctx, inherited, head, period, families,
                              previous.named if previous else []).read()
    except (ValueError, IndexError, KeyError, TypeError, AttributeError, RecursionError):
        if STRICT:
            raise
        return None


@dataclass
class Flow:
    """What the next sentence of a paragraph may inherit."""

    paragraph: int | None = None
    head: str | None = None
    result: SentenceResult | None = None
    list_context: Context | None = None

    def reset(self, paragraph: int) -> None:
        self.paragraph, self.head, self.result = paragraph, None, None


class Discourse:
    """Reads a report's sentences in order, then its footnotes in their anchors' context."""

    def __init__(self, model: TextModel, cat: Catalogue, ctx: ReportContext) -> None:
        self.model, self.cat, self.ctx = model, cat, ctx
        self.lex = load_lexicon()
        self.rows: list[tuple[Row, Sentence]] = []
        self.anchor_contexts: dict[int, Context] = {}
        self._heading_families: dict[str, tuple[str, ...]] = {}

    def families_of(self, heading: str) -> tuple[str, ...]:
        """The families a section heading names ("5. Thu, chi ngân sách" → budget)."""
        if heading not in self._heading_families:
            mentions = find_mentions(fold(heading), self.cat, [])
            names = {family(i) for m in mentions for i in m.ids} | \
                {m.domain for m in mentions if m.domain}
            self._heading_families[heading] = tuple(sorted(names))
        return self._heading_families[heading]

    def read(self) -> list[tuple[Row, Sentence]]:
        """Every row of the report with the sentence it was read from."""
        flow = Flow()
        for sentence in self.model.sentences:
            if sentence.paragraph != flow.paragraph:
                flow.reset(sentence.paragraph)
            if not sentence.in_tasks:
                self._body_sentence(sentence, flow)
        self._footnotes()
        resolve_by_arithmetic([row for row, _ in self.rows], self.cat)
        check_report([row for row, _ in self.rows], self.cat)
        return self.rows

    def _inheritance(self, sentence: Sentence, flow: Flow) -> Context | None:
        if flow.list_context is not None and _BULLET.match(sentence.text):
            return flow.list_context  # an item of a list introduced by "…8 tháng:"
        if flow.head and self.lex.pattern("Continuation").match(sentence.text):
            # "Trong đó: xuất khẩu …, tăng 25%": the components of the previous sentence's
            # figure, for its period and against its comparison base
            prev = flow.result
            return Context(parent=flow.head, period=prev.final_period if prev else None,
                           comparator=prev.final_comparator if prev else None)
        return None

    def _body_sentence(self, sentence: Sentence, flow: Flow) -> None:
        previous_period = flow.result.final_period if flow.result else None
        if previous_period is not None and previous_period.type in ("asof", "range"):
            previous_period = None  # a date or a window belongs to its own sentence
        result = read_safely(sentence, self.cat, self.ctx, self._inheritance(sentence, flow),
                             flow.head, previous_period, self.families_of(sentence.section),
                             flow.result)
        if result is None:
            return
        flow.result = result
        if sentence.text.rstrip().endswith(":"):
            flow.list_context = Context(
                parent=result.head, period=result.final_period,
                status=result.status_at.get(len(sentence.text), "actual"),
                comparator=result.final_comparator)
        elif not _BULLET.match(sentence.text):
            flow.list_context = None
        self.rows.extend((row, sentence) for row in result.rows)
        for pos, number in sentence.anchors:
            self.anchor_contexts.setdefault(number, Context(
                parent=result.head, period=result.period_at.get(pos),
                status=result.status_at.get(pos, "actual"),
                comparator=result.comparator_at.get(pos)))
        flow.head = result.head or flow.head

    def _footnotes(self) -> None:
        """Footnotes in the context of the sentence citing them; a footnote cited only from
        the task section (targets) is skipped with it."""
        in_tasks = {n for s in self.model.sentences if s.in_tasks for _, n in s.anchors}
        for number, sentences in self.model.footnotes.items():
            if number in in_tasks and number not in self.anchor_contexts:
                continue
            context = self.anchor_contexts.get(number, Context())
            head, previous = None, None
            for sentence in sentences:
                result = read_safely(sentence, self.cat, self.ctx, context, head, None,
                                     previous=previous)
                if result is None:
                    continue
                self.rows.extend((row, sentence) for row in result.rows)
                head, previous = result.head or head, result
