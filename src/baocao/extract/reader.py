"""Reading one sentence: the stages run in order.

1. :func:`.recognize.recognize` finds every cue, mention, figure and marker;
2. the events are walked in text order, keeping a :class:`Scope` — what is in force at
   each point: the period, the status, the subject, the sentence's head, a breakdown
   (``trong đó``), brackets and clauses (``;``) that open and close it;
3. each figure is attached to a subject (:mod:`.attach`) and given its measure
   (:mod:`.measure`);
4. :mod:`.resolve` settles what needs the whole sentence: "lần lượt" pairs and periods.

The handlers below are small on purpose: each reacts to one kind of event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .attach import (
    Attachment,
    attach_change,
    attach_difference,
    attach_level,
    content_gap,
    label_before,
    narrowed_before,
    other_place_before,
    postfix_mention,
    role_target,
    window_before,
)
from .catalogue import Catalogue
from .figures import Figure
from .measure import Measured, Percent, comparator_for, decide_percent, last_verb, verb_sense
from .model import Context, Mention, Row, SentenceResult, Subject
from .periods import Cue, Period, ReportContext, plan_after, plan_before
from .recognize import Event, Reading, recognize
from .resolve import finish_periods, named_in, pair_respectively
from .textmodel import Sentence

# canonical unit of a figure -> an indicator's own unit (GRDP per capita in VND mn)
CONVERSIONS = {("VND bn", "VND mn"): 1000.0}


@dataclass
class Scope:
    """The reader's state at a point of the sentence."""

    period: Period | None = None
    from_cue: bool = False  # the period in force was printed in this sentence
    through: bool = False  # … as "đến hết tháng N"
    status: str = "actual"
    target: bool = False
    head: str | None = None
    subject: Subject = field(default_factory=Subject)
    components: bool = False  # inside a breakdown ("trong đó")
    components_start: int = -1
    parts: list[Row] = field(default_factory=list)
    last_level: Row | None = None
    last_pos: int = 0  # end of the last name, figure or clause break
    last_mention_end: int = -1
    change_sense: tuple[str, int] | None = None  # "giảm 05 vụ, 05 người chết …"
    last_sense: tuple[str, int] | None = None  # the verb of the last percentage
    consumed_until: int = -1
    saw_ytd: bool = False
    narrowed: bool = False  # a part of the province was named: the rest is about it
    stack: list[tuple] = field(default_factory=list)


class SentenceReader:
    """Reads one sentence with the report context and what it inherits."""

    def __init__(self, sentence: Sentence, cat: Catalogue, ctx: ReportContext,
                 inherited: Context | None = None, previous_head: str | None = None,
                 previous_period: Period | None = None,
                 families: tuple[str, ...] = (), previous_named: list[Mention] = ()) -> None:
        self.inherited = inherited or Context()
        self.previous_named = list(previous_named)
        self.previous_head = previous_head
        self.previous_period = previous_period
        parents = [p for p in [self.inherited.parent, previous_head] if p]
        self.r: Reading = recognize(sentence, cat, ctx, parents, families)
        self.rows: list[Row] = []
        self.period_at: dict[int, Period | None] = {}
        self.status_at: dict[int, str] = {}

    # ------------------------------------------------------------------ walk
    def read(self) -> SentenceResult:
        """The sentence's rows, head, and the state at its footnote anchors."""
        scope = self._start()
        handlers = {
            "cue": self._on_cue, "components": self._on_components,
            "semicolon": self._on_semicolon, "open": self._on_open, "close": self._on_close,
            "mention": self._on_mention, "figure": self._on_figure,
            "same_as_last_year": self._on_figure,
        }
        for event in self.r.events:
            if event.pos < scope.consumed_until:
                continue
            self._note_anchors(event.pos, scope)
            handlers[event.kind](event, scope)
        self._note_anchors(len(self.r.text) + 1, scope)
        pair_respectively(self.r, self.rows, self.previous_named)
        finish_periods(self.r, self.rows, scope.saw_ytd, self.previous_period)
        return self._result(scope)

    def _start(self) -> Scope:
        period = self.inherited.period
        no_cue = not any(c.kind in ("period", "through") for c in self.r.cues)
        if period is None and no_cue and self.r.lex.pattern("Continuation").match(self.r.text):
            period = self.previous_period  # "Trong đó, …" goes on from the previous sentence
        return Scope(period=period, status=self.inherited.status)

    def _note_anchors(self, pos: int, scope: Scope) -> None:
        for apos, _number in self.r.sentence.anchors:
            if apos <= pos and apos not in self.period_at:
                self.period_at[apos] = scope.period
                self.status_at[apos] = scope.status

    def _result(self, scope: Scope) -> SentenceResult:
        comparators = self.r.comparators()
        comparator_at = {}
        for apos in self.period_at:
            before = [c for c in comparators if c.end <= apos]
            comparator_at[apos] = before[-1] if before else None
        # what the sentence is about: the indicator of its first figure, else its first name
        first = next((r for r in self.rows if r.measure == "level" and r.indicator
                      and not r.component_of), None)
        head = first.indicator if first is not None else scope.head
        return SentenceResult(
            self.rows, head or self.inherited.parent or self.previous_head, self.period_at,
            self.status_at, comparator_at, scope.period,
            comparators[-1] if comparators else self.inherited.comparator,
            named_in(self.r.mentions, 0, len(self.r.text), self.r.cat))

    # ------------------------------------------------------------------ structure
    def _on_cue(self, event: Event, scope: Scope) -> None:
        cue: Cue = event.item  # type: ignore[assignment]
        if cue.kind in ("period", "through"):
            scope.period, scope.from_cue = cue.period, True
            scope.through = cue.kind == "through"
            scope.saw_ytd = scope.saw_ytd or (cue.period is not None
                                              and cue.period.type == "ytd")
            scope.last_pos = max(scope.last_pos, cue.end)
        elif cue.kind == "status":
            scope.status = "estimate"
        elif cue.kind == "target":
            scope.target = True

    def _on_components(self, event: Event, scope: Scope) -> None:
        scope.components, scope.components_start = True, event.end
        scope.parts = []
        scope.last_pos = event.end

    def _on_semicolon(self, event: Event, scope: Scope) -> None:
        subject = scope.subject
        if subject.subordinate or not subject.ids or subject.unknown:
            back = scope.head or self.inherited.parent
            subject = Subject((back,)) if back else replace(subject, unknown=False)
        scope.subject = replace(subject, label="", unknown=False, subordinate=False)
        scope.components = scope.components and bool(scope.stack)
        scope.last_level, scope.change_sense, scope.target = None, None, False
        scope.last_sense = None
        scope.last_pos = event.pos + 1

    def _on_open(self, event: Event, scope: Scope) -> None:
        scope.stack.append((scope.period, scope.subject, scope.components, scope.last_level,
                            scope.head, event.pos))
        scope.last_pos = event.pos + 1

    def _on_close(self, event: Event, scope: Scope) -> None:
        if scope.stack:
            period = scope.period
            (scope.period, scope.subject, scope.components, scope.last_level,
             scope.head, opened) = scope.stack.pop()
            if self._only_a_period(opened, event.pos):
                scope.period = period  # "Trong kỳ báo cáo (16/7 - 15/8/2017) có …"
        scope.last_pos = event.pos + 1
        scope.change_sense = None

    def _only_a_period(self, start: int, end: int) -> bool:
        """Whether the bracket ``(start, end)`` holds nothing but a period that names the
        period of the words before it ("Trong kỳ báo cáo (16/7 - 15/8/2017)"); a bracket
        that only details a period printed before it ("5 tháng (đến ngày 15/5)") does not."""
        periods = [c for c in self.r.cues if c.kind in ("period", "through")]
        inside = [c for c in periods if start < c.start and c.end <= end]
        if len(inside) != 1:
            return False
        if inside[0].period.type != "range" and any(0 <= start - c.end <= 2 for c in periods):
            return False  # a day range is the precise window of the period before it
        rest = self.r.text[start + 1 : inside[0].start] + self.r.text[inside[0].end : end]
        return not rest.strip(" ,.;:-–")

    # ------------------------------------------------------------------ names
    def _on_mention(self, event: Event, scope: Scope) -> None:
        mention: Mention = event.item  # type: ignore[assignment]
        if mention.domain:
            return  # "Ngân sách:" names a family, whose own words follow
        if mention.blocker:  # "thu hút", "thu hoạch": not the family word "thu"; the words
            return  # themselves decide (unknown words leave the figure unknown)
        if mention.role and not mention.ids:
            mention = self._role_mention(mention, scope)
            if mention is None:
                return
        if scope.narrowed and mention.within and mention.within not in self.r.cat.indicators:
            # a family's short name after a part was named is about that part ("TP Phú Quốc
            # đón …, tổng thu đạt …")
            scope.subject = replace(scope.subject, ids=(), label=mention.text, unknown=True)
            scope.last_pos = scope.last_mention_end = mention.end
            return
        if scope.head is None and mention.ids and not mention.within and not scope.components:
            scope.head = mention.ids[0] if len(mention.ids) == 1 else None
        subordinate = scope.subject.subordinate
        if mention.within or scope.components:
            subordinate = True
        elif not mention.role:
            subordinate = False
        scope.subject = Subject(tuple(mention.ids), mention.text, False, subordinate)
        scope.last_pos = scope.last_mention_end = mention.end

    def _role_mention(self, mention: Mention, scope: Scope) -> Mention | None:
        """A role word ("doanh thu", "chết") names the sibling of what is talked about; a
        role with no sibling here names something the catalogue does not know."""
        last_named = next((r.indicator for r in reversed(self.rows) if r.indicator), None)
        context = [scope.subject.key, last_named, scope.head, self.inherited.parent]
        target = None if scope.narrowed else role_target(self.r, mention.role or "", context)
        if target:
            scope.subject = replace(scope.subject, subordinate=True)
            return replace(mention, ids=[target])
        if mention.role == "realised" or (mention.role in ("area", "output")
                                          and scope.subject.ids and not scope.subject.unknown):
            # "thực hiện" is mostly a plain verb; "diện tích"/"sản lượng" of the crop being
            # listed: its unit will choose
            scope.last_pos = mention.end
            if mention.role != "realised":
                scope.last_mention_end = mention.end
            return None
        scope.subject = replace(scope.subject, ids=(), label=mention.text, unknown=True)
        scope.last_pos = scope.last_mention_end = mention.end
        return None

    # ------------------------------------------------------------------ figures
    def _on_figure(self, event: Event, scope: Scope) -> None:
        fig = event.item if event.kind == "figure" else None
        period = self._post_period(fig) or scope.period
        row = self._row(fig, event, scope, period)
        if row is None:
            return
        if scope.target:
            row.flags.append("target")
            row.indicator = None
        if fig is not None and row.measure in ("level", "yoy_diff"):
            post = next((m for m in self.r.mentions
                         if fig.num_end <= m.start <= fig.end + 1 and m.end > fig.end - 1), None)
            if post is not None:  # "44 người chết" names a new indicator after the number
                scope.consumed_until = max(scope.consumed_until, post.end)
        row.period_pending = not scope.from_cue and scope.period is None
        row.period_printed = scope.from_cue or period is not scope.period
        row.through = scope.through and scope.from_cue
        row.stock = self._held(row.start)
        owner = self.r.cat.indicators.get(row.indicator or "")
        if row.stock and owner is not None and owner.kind == "flow" and \
                owner.default_period != "month":
            # "Đến nay có 2.207 dự án": what is held is not a period's approvals
            row.flags.append("held_not_a_flow")
            row.indicator = None
        self._breakdown(row, scope)
        self.rows.append(row)
        self._after_figure(row, fig, event, scope)

    def _held(self, pos: int) -> bool:
        """Whether a stock marker ("đang triển khai", "toàn tỉnh có") governs the figure at
        ``pos``: printed before it (before the list it heads), with no period of a flow
        ("trong năm 2023", "9 tháng") named before the figure in its clause ("đến nay" may
        be)."""
        clause = self.r.text.rfind(";", 0, pos) + 1
        markers = [m for m in self.r.lex.pattern("StockMarker").finditer(self.r.folded)
                   if m.end() <= pos]  # (one before a list governs its items)
        if not markers:
            return False
        since = min(clause, markers[-1].start())
        return not any(since <= c.start < pos for c in self.r.cues if c.kind == "period")

    def _post_period(self, fig: Figure | None) -> Period | None:
        """A period printed right after its figure ("380 triệu USD trong tháng 8"); lower
        case only ("… 21,54% Trong tháng 11" starts a new, unpunctuated sentence)."""
        if fig is None:
            return None
        gap = self.r.lex.pattern("PostPeriodGap")
        for c in self.r.cues:
            if c.kind == "period" and 0 <= c.start - fig.end <= 12 and \
                    gap.fullmatch(self.r.text[fig.end : c.start]) and \
                    not self.r.text[c.start].isupper():
                return c.period
        return None

    def _row(self, fig: Figure | None, event: Event, scope: Scope,
             period: Period | None) -> Row | None:
        subject = scope.subject
        unnamed_part = (scope.components and scope.last_mention_end < scope.components_start
                        and fig is not None and not fig.is_percent)
        if fig is None:
            return self._same_as_last_year(event, scope, period)
        if fig.dimension == "bare":
            fig = self._counted(fig, subject)
            if fig is None:
                return None
        if unnamed_part or narrowed_before(self.r, fig.start):
            subject = replace(subject, unknown=True)  # "Riêng Phú Quốc đón …": a part
        if fig.is_percent:
            return self._percent_row(fig, scope, subject, period)
        if fig.dimension == "pp":
            return self._points_row(fig, scope, subject, period)
        change = self._change_sense(fig, scope)
        if change is not None:
            return self._difference_row(fig, scope, subject, period, *change)
        return self._level_row(fig, scope, subject, period)

    def _counted(self, fig: Figure, subject: Subject) -> Figure | None:
        """A count printed without its unit takes the unit of the indicator it counts
        ("số vụ giảm 05" → 5 accidents); with no counted indicator named, it is no figure."""
        ind = self.r.cat.indicators.get(subject.id or "") if not subject.unknown else None
        if ind is None or ind.unit not in ("count", "persons", "head"):
            return None
        return replace(fig, unit=ind.unit, dimension=self.r.cat.dimension(ind), noun=ind.noun)

    def _change_sense(self, fig: Figure, scope: Scope) -> tuple[str, bool] | None:
        """Whether a level is an absolute change, with its sense and whether its verb is
        printed right before it: "giảm 05 vụ", "(-7,95 ha)", "…, bằng 7.300 con"."""
        text, lex = self.r.text, self.r.lex
        pre = text[max(0, fig.start - 24) : fig.start]
        verb = lex.pattern("ChangeBeforeLevel").search(pre)
        if lex.pattern("EqualToBefore").search(pre) and self.rows and \
                self.rows[-1].measure in ("yoy_pct", "change_pct") and \
                ";" not in text[self.rows[-1].end : fig.start]:
            return ("decrease" if self.rows[-1].value < 0 else "increase"), False
        if fig.explicit_sign and not verb:
            return ("decrease" if fig.number < 0 else "increase"), False
        joiner = lex.expand("{NumberJoiner}")
        inherited = scope.change_sense is not None and re.fullmatch(
            rf"[\s,]*(?:(?:{joiner})\s*)?", text[scope.change_sense[1] : fig.start], re.I)
        if (verb or inherited) and not lex.pattern("ToLevelBefore").search(pre):
            sense = verb_sense(self.r, verb.group("verb")) if verb else scope.change_sense[0]
            return sense or "increase", verb is not None
        return None

    def _same_as_last_year(self, event: Event, scope: Scope, period: Period | None) -> Row:
        """"tương đương cùng kỳ": a year-on-year change of zero."""
        att = self._attach_change(scope.subject, scope, event.pos)
        return Row(att.indicator, att.label, period, "yoy_pct", None, 0.0, "%",
                   self.r.text[event.pos : event.end], None, scope.status, event.pos,
                   event.end, flags=list(att.flags))

    def _attach_change(self, subject: Subject, scope: Scope, start: int) -> Attachment:
        last = scope.last_level
        return attach_change(self.r, subject, last.indicator if last else None,
                             last.label if last else "", start, scope.last_pos,
                             scope.last_mention_end, self.previous_head)

    def _points_row(self, fig: Figure, scope: Scope, subject: Subject,
                    period: Period | None) -> Row:
        """"đóng góp 1,15 điểm phần trăm": a contribution to growth, never a growth rate."""
        owner = self.r.cat.indicators.get(subject.id or "")
        if owner is not None and owner.contribution and not subject.unknown:
            return self._make(fig, owner.contribution, subject.label, period, scope, "level",
                              fig.value, "pp")
        return self._make(fig, None, subject.label, period, scope, "level", fig.value, "pp",
                          flags=["percentage_points"])

    def _make(self, fig: Figure, indicator: str | None, label: str, period: Period | None,
              scope: Scope, measure: str, value: float, unit: str, base: str | None = None,
              flags: list[str] | None = None, printed: str | None = None) -> Row:
        return Row(indicator, label, period, measure, base, value, unit,
                   printed or fig.printed, fig.qualifier, scope.status, fig.start, fig.end,
                   flags=list(flags or []), decimals=fig.decimals)

    def _level_row(self, fig: Figure, scope: Scope, subject: Subject,
                   period: Period | None) -> Row:
        post = postfix_mention(fig, self.r.mentions)
        if post is not None and post.role and not post.ids and scope.components \
                and subject.unknown:
            # "(trong đó, đường sắt 5 vụ và 6 người chết)": deaths of the unknown part
            return self._level(fig, Attachment(None, post.text, ("indicator_unknown",)),
                               period, scope)
        candidates = [subject.key]
        carried = False
        if not scope.components:
            candidates += [scope.head]
            if not scope.head and not subject.ids:
                candidates, carried = [*candidates, self.previous_head], True
        role_context = [subject.key, scope.head, self.inherited.parent]
        gap = [] if post else content_gap(self.r, scope.last_pos, fig.start,
                                          scope.last_mention_end)
        att = attach_level(self.r, fig, subject, candidates, role_context, post, gap,
                           scope.last_pos, carried)
        return self._level(fig, att, period, scope)

    def _named_in_clause(self, pos: int) -> bool:
        """Whether an indicator is named in the stretch leading to ``pos``."""
        window = window_before(self.r, pos)
        start = pos - len(window)
        return any(start <= m.start < pos and (m.ids or m.role) for m in self.r.mentions)

    def _level(self, fig: Figure, att: Attachment, period: Period | None, scope: Scope) -> Row:
        """A level row, unless a part or another place is named (then unknown); a unit that
        names the indicator by itself ("lượt khách") names it when nothing else does."""
        indicator, flags = att.indicator, list(att.flags)
        narrowed = narrowed_before(self.r, fig.start)
        scope.narrowed = scope.narrowed or narrowed
        if narrowed and indicator is not None:
            indicator, flags = None, [*flags, "narrower_scope"]
        elif indicator is not None and not self._named_in_clause(fig.start) and \
                other_place_before(self.r, fig.start):
            # "…; Vịnh Hạ Long đón khoảng 40.000 lượt khách": the subject carried over is
            # the province's, the figure another place's
            indicator, flags = None, [*flags, "other_place"]
        if (indicator is None and fig.implies and not narrowed
                and not other_place_before(self.r, fig.start)):
            indicator = fig.implies
            flags = [f for f in flags if f not in ("indicator_unknown", "unit_mismatch")]
        unit, value = ("%" if fig.dimension == "percent" else fig.unit), fig.value
        ind = self.r.cat.indicators.get(indicator or "")
        if ind is not None and ind.unit != unit and (unit, ind.unit) in CONVERSIONS:
            value, unit = float(f"{value * CONVERSIONS[(unit, ind.unit)]:.12g}"), ind.unit
        return self._make(fig, indicator, att.label, period, scope, "level", value, unit,
                          flags=flags)

    def _difference_row(self, fig: Figure, scope: Scope, subject: Subject,
                        period: Period | None, sense: str, verb_here: bool) -> Row:
        """An absolute change against last year ("giảm 05 vụ" → −5 count)."""
        priors = [(r.indicator, r.label, r.unit) for r in self.rows
                  if r.measure == "level" and r.indicator]
        att = attach_difference(self.r, fig, subject, scope.head,
                                postfix_mention(fig, self.r.mentions), priors,
                                self.inherited.parent, self.previous_head)
        comp, _how = comparator_for(self.r, fig.end)
        indicator, flags = att.indicator, [] if att.indicator else ["indicator_unknown"]
        candidates = []
        if comp is None or comp.base_kind not in ("yoy", "yoy_avg"):
            flags.append("comparator_not_yoy" if comp else "comparator_missing")
            candidates, indicator = [indicator] if indicator else [], None
        value = -abs(fig.value) if sense == "decrease" else abs(fig.value)
        printed = self.r.text[max(0, fig.start - 12) : fig.start].split()[-1:] if verb_here \
            else []
        shown = f"{printed[0]} {fig.printed}" if printed else fig.printed
        row = self._make(fig, indicator, att.label, period, scope, "yoy_diff", value,
                         fig.unit, flags=flags, printed=shown)
        row.candidates = candidates
        return row

    def _percent_row(self, fig: Figure, scope: Scope, subject: Subject,
                     period: Period | None) -> Row:
        r = self.r
        sense, verb_start = last_verb(r, scope.last_pos, fig.start)
        att = self._attach_change(subject, scope, fig.start)
        indicator, label, flags = att.indicator, att.label, list(att.flags)
        named = self._named_after(fig, scope)
        if named is not None:
            indicator, label, flags = named.indicator, named.label, []
        label = label or label_before(r, scope.last_pos, fig.start)
        printed = r.text[verb_start : fig.end] if verb_start >= 0 else fig.printed
        comp, how = comparator_for(r, fig.end, fig.start, self.inherited.comparator)
        if comp is not None and how != "direct" and comp.base_kind == "mom" and \
                period is not None and period.type in ("ytd", "year", "half", "quarter"):
            comp, how = None, "none"  # a borrowed "so với tháng trước" is no cumulative's base
        if sense is None:
            sense = self._inherited_sense(fig, scope, comp, how)
        last = scope.last_level
        facts = Percent(r, fig, sense, r.cat.indicators.get(indicator or ""), indicator,
                        period, r.text[scope.last_pos : fig.start],
                        last.indicator if last else None, self.inherited.comparator,
                        self._plan(fig, scope), (comp, how), flags)
        row = self._percent(fig, facts, decide_percent(facts), label, printed, scope)
        scope.last_sense = (sense, fig.end) if sense else scope.last_sense
        return row

    def _inherited_sense(self, fig: Figure, scope: Scope, comp: Cue | None,
                         how: str) -> str | None:
        """The verb a percentage printed without one shares: the previous percentage's or
        absolute change's in the same clause ("đạt 51,2% dự toán, 46,1% … và 92,6% so với
        cùng kỳ", "giảm 29 vụ (16,1%)"); a bare index against last year is a ratio ("96,4%
        so với cùng kỳ")."""
        text = self.r.text
        for shared in (scope.last_sense, scope.change_sense):
            if shared is not None and ";" not in text[shared[1] : fig.start]:
                return shared[0]
        if comp is not None and how == "direct" and comp.base_kind == "yoy" and \
                not fig.explicit_sign and fig.number >= 50:
            return "ratio"
        return None

    def _plan(self, fig: Figure, scope: Scope) -> tuple[int, str | None] | None:
        """The plan a percentage is a share of: named right after it, after the next
        percentage it is listed with ("97,4% và 62,8% kế hoạch"), or before its verb."""
        text = self.r.text
        plan = plan_after(text, fig.end)
        if plan is not None:
            return plan
        joiner = self.r.lex.expand("{NumberJoiner}")
        link = re.compile(rf"\s*(?:,|{joiner})\s*", re.I).match(text, fig.end)
        if link is not None:
            following = next((f for f in self.r.figures if f.start == link.end()), None)
            if following is not None and following.is_percent:
                plan = plan_after(text, following.end)
                if plan is not None:
                    return plan
        start = scope.last_pos
        if text[start - 1 : start] == "(":  # "vượt kế hoạch năm (đạt 110,4%)"
            start = max(text.rfind(mark, 0, start - 1) for mark in ",;:") + 1
        return plan_before(text, start, fig.start)

    def _percent(self, fig: Figure, facts: Percent, decided: Measured, label: str,
                 printed: str, scope: Scope) -> Row:
        indicator = decided.indicator or (facts.indicator if decided.keeps_indicator else None)
        owner = self.r.cat.indicators.get(indicator or "")
        if owner is not None and owner.growth and decided.measure == "yoy_pct":
            indicator = owner.growth  # the change of GRDP's value is GRDP growth
        row = self._make(fig, indicator, label, decided.period or facts.period, scope,
                         decided.measure, decided.value, decided.unit, decided.base,
                         list(decided.flags), printed)
        if decided.measure == "change_pct" and facts.indicator:
            row.candidates = [facts.indicator]
        return row

    def _named_after(self, fig: Figure, scope: Scope) -> Attachment | None:
        """"tăng 7,69% số vụ, 2,94% số người chết": the name printed after the percentage."""
        post = self.r.lex.pattern("PercentNamedAfter").match(self.r.text, fig.end)
        if post is None:
            return None
        named = next((m for m in self.r.mentions if m.start == post.end()), None)
        if named is None:
            return None
        ids = named.ids or [t for t in [role_target(self.r, named.role or "",
                                                     [scope.subject.key, scope.head])] if t]
        return Attachment(ids[0], named.text) if len(ids) == 1 else None

    # ------------------------------------------------------------------ after a figure
    def _breakdown(self, row: Row, scope: Scope) -> None:
        """A component of a breakdown: its total's id; a component named like its total,
        or a change after the last component that may be the total's, is flagged."""
        total = scope.head or self.inherited.parent
        if scope.components and row.measure == "level" and row.unit not in ("%", "pp"):
            row.component_of = total
            scope.parts.append(row)
            if row.indicator and row.indicator == total:
                row.flags.append("component_labelled_as_total")
                row.candidates, row.indicator = [row.indicator], None
        elif scope.components and row.measure != "level" and scope.last_level is not None:
            row.component_of = total
            if "component_labelled_as_total" in scope.last_level.flags:
                row.flags.append("component_labelled_as_total")
                row.candidates, row.indicator = ([row.indicator] if row.indicator else []), None
            elif len(scope.parts) >= 2 and total and row.indicator == scope.parts[-1].indicator \
                    and not any(r.measure == row.measure and r.indicator == scope.parts[0].indicator
                                for r in self.rows):
                row.flags.append("ambiguous_attachment")
                row.candidates = [row.indicator or "", total]

    def _after_figure(self, row: Row, fig: Figure | None, event: Event, scope: Scope) -> None:
        """What a figure changes: the subject (a level names what follows), the last level,
        the change verb that following counts share, the head."""
        subject = scope.subject
        if row.indicator is None and "indicator_unknown" in row.flags:
            subject = replace(subject, ids=(), unknown=True)  # what follows is about it too
        if row.measure == "level" and "subject_unknown" in row.flags:
            subject = replace(subject, ids=(), label=row.label, unknown=True)
        if row.measure == "level" and row.unit not in ("%", "pp"):
            scope.last_level, scope.last_sense = row, None  # a new quantity: its own verbs
            ids = (row.indicator,) if row.indicator else ()
            subject = replace(subject, ids=ids, label=row.label, unknown=not row.indicator)
        about = row.indicator or (row.candidates[0] if row.candidates else None)
        if row.measure == "yoy_diff" and about:  # what follows is about it, base or not
            subject = replace(subject, ids=(about,), label=row.label, unknown=False)
        if row.measure == "yoy_diff" and fig is not None:
            verb = self.r.lex.pattern("ChangeBeforeLevel").search(self.r.text[: fig.start])
            sense = verb_sense(self.r, verb.group("verb")) if verb else None
            previous = scope.change_sense[0] if scope.change_sense else "increase"
            scope.change_sense = (sense or previous, max(fig.end, scope.consumed_until))
        if scope.head is None and row.indicator and row.measure == "level" \
                and not scope.components:
            scope.head = row.indicator
        scope.subject = subject
        scope.last_pos = max(scope.last_pos, event.end, scope.consumed_until)
