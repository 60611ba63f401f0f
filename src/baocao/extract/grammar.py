"""The grammar of the genre: who a figure belongs to, for which period, measured how.

A sentence is read left to right as a stream of events (indicator mentions, period and
comparison cues, status words, ``trong đó``, ``;``, brackets, figures). The reader keeps
the state a human reader keeps: the sentence's head indicator, the indicator being talked
about now, the period in force, whether the words so far were an estimate. Each figure is
attached from that state; percentages are classified by their verb (``tăng``, ``giảm``,
``bằng``, ``đạt``, ``vượt``) and what follows them (``kế hoạch``, ``so với cùng kỳ``, …).

Precision guards (a wrong number is worse than a missing one):
- a figure whose unit does not fit the indicator (USD for a budget item) is not attached;
- a figure preceded by words the catalogue does not know (``thu tiền sử dụng đất 50 tỷ``)
  is not given the sentence's indicator but left unknown, with its phrase in ``label_vi``;
- a component named like its total (``trong đó sản lượng lương thực …``) is flagged;
- a percentage after the last component of a breakdown may belong to the component or
  the total: the report's own arithmetic decides, else it is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .catalogue import Catalogue, Indicator, fold, tone_fold
from .figures import Figure, find_figures
from .periods import Cue, Period, ReportContext, find_cues, plan_after
from .textmodel import Sentence

# Upper-case letters of Vietnamese (re has no \p{Lu}; a range like À-Ỹ also holds lower case)
_UPPER = "A-Z" + "".join(
    c for c in map(chr, range(0xC0, 0x1EFA)) if c.isupper() and c.isalpha()
)
_VERB = re.compile(
    r"(?<!\w)(tăng|giảm|bằng|đạt|vượt|chiếm|tương\s+đương|tăng\s+lên|giảm\s+xuống|giảm\s+còn|"
    r"hoàn\s+thành)"
    r"(?!\w)",
    re.IGNORECASE,
)
_TRONG_DO = re.compile(r"(?<!\w)trong\s+đó(?!\w)", re.IGNORECASE)
_ABOUT_COUNT = re.compile(
    r"\s*(?:về\s+)?(?:số\s+lượng|số\s+doanh\s+nghiệp|số\s+dự\s+án|số\s+hợp\s+tác\s+xã)",
    re.IGNORECASE,
)
_NARROWING = re.compile(
    r"(?<!\w)(?:qua|tại|của)\s+(?:cửa\s+khẩu|cặp\s+cửa\s+khẩu|lối\s+mở|ga)\s+(?!các\b|chính\b)"
    rf"[{_UPPER}]"
    r"|(?<!\w)(?:riêng|Riêng)\s+(?!tháng|quý|năm|trong)\S"
    rf"|(?<!\w)(?i:TP\.?|thành\s+phố|huyện|thị\s+xã)\s+[{_UPPER}]"
    r"|(?i:(?:dịp|kỳ\s+nghỉ|ngày\s+nghỉ)\s+Tết|\d+\s+ngày\s+(?:nghỉ|Tết)|riêng\s+trong\s+\d+\s+ngày)"
    r"|(?<!\w)(?:rất|đặc\s+biệt)\s+nghiêm\s+trọng"
    r"|(?<!\w)(?:của|tại|trên\s+địa\s+bàn)\s+(?:huyện|thị\s+xã|xã|phường|"
    r"doanh\s+nghiệp|công\s+ty|khu\s+kinh\s+tế)(?!\w)",
)
_PCT_POSTFIX = re.compile(r"\s+(?:về\s+(?:số\s+)?|số\s+)", re.IGNORECASE)
_STRAY = re.compile(
    r"(?<![\w.,/])(\d[\d.,]*)(?![\d/])\s+(?:(?:triệu|nghìn|ngàn|tỷ)\s+)?([^\W\d_]+)"
)
# words after a number that do not make it a quantity
_NOT_UNITS = {
    "tháng", "năm", "ngày", "quý", "giờ", "lần", "và", "so", "đến", "tới", "trong", "là", "đạt",
    "của", "tăng", "giảm", "bằng", "với", "từ", "hoặc", "ước", "điểm", "tiêu", "xã", "huyện",
}
_LABEL_TRAIL = {"được", "là", "đạt", "có", "với", "khoảng", "trên", "hơn", "gần", "dưới", "tăng",
                "giảm", "bằng", "ước", "đã", "xảy", "ra"}
# "380 triệu USD trong tháng 8": a period printed right after its figure
# (lower case only: "21,54% Trong tháng 11" starts a new, unpunctuated sentence)
_POST_PERIOD_GAP = re.compile(r"\s*(?:(?:trong|vào|của)\s*)?")
_EXAMPLES = re.compile(r"(?<!\w)(?:như|nhất\s+là|đặc\s+biệt\s+là|chủ\s+yếu\s+là)(?!\w)",
                       re.IGNORECASE)
_SCENARIO = re.compile(r"\s*(?:so\s+với\s+)?(?:kịch\s+bản|nghị\s+quyết)", re.IGNORECASE)
_CONTINUATION = re.compile(r"^\W*(?:trong\s+đó|cụ\s+thể|riêng|bao\s+gồm|gồm)(?!\w)", re.IGNORECASE)
_EQUIVALENT = re.compile(
    r"(?<!\w)tương\s+đương(?:\s+với)?\s+cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái|\d{4}))?", re.IGNORECASE
)
_RATE_WORD = re.compile(r"(?<!\w)(?:tỷ\s+lệ|tỉ\s+lệ|tỷ\s+trọng)(?!\w)[^,;]*$", re.IGNORECASE)
_SHARE_WORD = re.compile(r"(?<!\w)chiếm(?!\w)", re.IGNORECASE)
_PP = re.compile(r"^\s*điểm\s+phần\s+trăm", re.IGNORECASE)
_MULTIPLIER = re.compile(r"(?<!\w)(?:gấp|tăng)\s+([\d.,]+)\s+lần(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# canonical unit of a figure -> an indicator's own unit (GRDP per capita in VND mn)
_CONVERSIONS = {("VND bn", "VND mn"): 1000.0}
_RESPECTIVELY = re.compile(r"(?<!\w)(?:lần\s+lượt|tương\s+ứng)(?!\w)", re.IGNORECASE)

# Words that may stand between an indicator (or a previous figure) and a figure without
# naming anything new. Anything else (two or more words) means the figure has a label the
# catalogue does not know.
FILLER = set(
    """
    đạt ước tính dự là được đã có với và khoảng trên hơn gần dưới tháng lũy luỹ kế chung cộng
    dồn đầu năm trong đến hết nay từ ngày bằng tổng số toàn tỉnh cả thực hiện cho thu
    so cùng kỳ tăng giảm vượt tương đương kế hoạch dự toán giao đó lượt lần lên xuống còn
    trước ngoái này the khá mạnh nhẹ thêm riêng bình quân quý của các những một mới về
    chiếm tỷ tỉ lệ trọng sau khi qua địa bàn đồng thời gồm như đây tính thời điểm
    xảy ra làm nhận đề thì nên vẫn chỉ mức khoảng đối tại tương ứng trung ương hđnd
    trồng gieo sơ bộ hoàn thành
    tw kh ckn cknt
    """.split()
)


@dataclass
class Mention:
    """An indicator named in the text (possibly several ids, resolved by the unit)."""

    start: int
    end: int
    text: str
    ids: list[str]
    role: str | None = None
    within: str | None = None  # parent id when the phrase is a component phrase


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


@dataclass
class Context:
    """What a footnote inherits from the sentence that cites it."""

    parent: str | None = None
    period: Period | None = None
    status: str = "actual"
    comparator: Cue | None = None


@dataclass
class SentenceResult:
    rows: list[Row]
    head: str | None
    period_at: dict[int, Period | None]
    status_at: dict[int, str]
    comparator_at: dict[int, Cue | None]
    final_period: Period | None = None
    final_comparator: Cue | None = None


def find_mentions(text: str, cat: Catalogue, parents: list[str]) -> list[Mention]:
    """Indicator mentions: global phrases, role words, and component phrases of ``parents``."""
    found: list[Mention] = []
    for m in cat.global_overlap.finditer(text):
        key = fold(re.sub(r"\s+", " ", m.group(1)))
        ids = list(cat.by_phrase.get(key, []))
        role = cat.role_phrase.get(key)
        found.append(Mention(m.start(1), m.end(1), m.group(1), ids, role=None if ids else role))
    # (callers pass tone-folded text; labels are re-read from the original by position)
    for parent in parents:
        pattern = cat.within_overlap.get(parent)
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            key = fold(re.sub(r"\s+", " ", m.group(1)))
            ids = cat.within[parent][key]
            found.append(Mention(m.start(1), m.end(1), m.group(1), list(ids), within=parent))
    # keep the longest of overlapping mentions; component phrases win ties
    found.sort(key=lambda x: (x.start, -(x.end - x.start), x.within is None))
    kept: list[Mention] = []
    for mention in sorted(
        found, key=lambda x: (-(x.end - x.start), x.within is None, x.start)
    ):
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    kept.sort(key=lambda x: x.start)
    return kept


_PROPER_NAME = re.compile(
    rf"(?<!\w)(?:[{_UPPER}][^\W\d_]*\s+){{1,3}}[{_UPPER}][^\W\d_]*(?!\w)"
)


# the centrally run cities: provinces in their own right ("TP Cần Thơ" is not a part of one)
CENTRAL_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
_PRICE_BASIS = re.compile(
    r"(?<!\w)(?:theo\s+)?giá\s+(?:so\s+sánh|hiện\s+hành)(?:\s+năm)?(?:\s+\d{4})?", re.IGNORECASE
)


def _unknown(indicator: str | None) -> tuple[str, ...]:
    return () if indicator else ("subject_unknown",)


def _content_words(text: str) -> list[str]:
    """Words that name something: not filler, and not a place's proper name ("của Lạng
    Sơn"; a part of the province is caught before, as a narrower scope)."""
    text = _PRICE_BASIS.sub(" ", _PROPER_NAME.sub(" ", text))
    return [w for w in _WORD.findall(text.lower()) if w not in FILLER]


def _compatible(cat: Catalogue, ind: Indicator, fig: Figure) -> bool:
    if fig.is_percent:
        return True
    if cat.dimension(ind) != fig.dimension:
        return False
    return ind.noun is None or fig.noun is None or ind.noun == fig.noun


class SentenceReader:
    """Reads one sentence with the report context and an inherited footnote context."""

    def __init__(
        self,
        sentence: Sentence,
        cat: Catalogue,
        ctx: ReportContext,
        inherited: Context | None = None,
        previous_head: str | None = None,
        previous_period: Period | None = None,
    ) -> None:
        self.s = sentence
        self.text = sentence.text
        self.cat = cat
        self.ctx = ctx
        self.inherited = inherited or Context()
        self.previous_head = previous_head
        self.previous_period = previous_period
        self._figure_starts: list[int] = []
        self._figure_ends: list[int] = []
        self._all_figure_ends: list[int] = []
        self._mentions: list[Mention] = []
        self._head: str | None = None
        self._narrowed = False

    # ------------------------------------------------------------------ helpers
    def _resolve_ids(self, ids: list[str], fig: Figure | None) -> str | None:
        inds = [self.cat.indicators[i] for i in ids]
        if fig is None:
            return ids[0] if len(ids) == 1 else None
        fits = [i for i in inds if _compatible(self.cat, i, fig)]
        if len(fits) == 1:
            return fits[0].id
        if len(fits) > 1 and fig.is_percent:
            return None
        return None

    def _role_target(self, role: str, context: list[str | None]) -> str | None:
        return self.cat.role_target(role, [c for c in context if c])

    def _comparator_for(
        self, pct_end: int, cues: list[Cue], pct_start: int = -1
    ) -> tuple[Cue | None, str]:
        """The comparison base of a percentage: right after it, else later, else earlier."""
        comps = [c for c in cues if c.kind == "comparator"]
        for c in comps:
            if c.start >= pct_end and not self.text[pct_end : c.start].strip(" ,"):
                return c, "direct"
        # "so với cùng kỳ, CPI tăng 3,75%": the base stated just before the verb
        for c in reversed(comps):
            if c.end > pct_start:
                continue
            between = self.text[c.end : pct_start]
            opens_clause = not self.text[: c.start].strip() or \
                self.text[: c.start].rstrip()[-1:] in ";,:("
            if any(e <= c.start and not self.text[e : c.start].strip(" ,")
                   for e in self._figure_ends):
                continue  # that base is the one right after an earlier percentage
            figure_between = any(c.end <= f < pct_start for f in self._figure_starts)
            words = len(_WORD.findall(between))
            if ";" not in between and not figure_between and (
                words <= 2 or (opens_clause and words <= 12)
            ):
                return c, "direct"
        # a comparator that follows before the next figure or clause break
        # a later base, unless a new period cue starts another statement before it
        periods = [c.start for c in cues if c.kind in ("period", "through")]
        later = [c for c in comps if c.start >= pct_end
                 and not any(pct_end <= p < c.start for p in periods)]
        if later:
            return later[0], "later"
        earlier = [c for c in comps if c.end <= pct_end]
        if earlier:
            return earlier[-1], "earlier"
        if self.inherited.comparator is not None:
            return self.inherited.comparator, "inherited"
        return None, "none"

    # ------------------------------------------------------------------ main
    def read(self) -> SentenceResult:
        text, cat, ctx = self.text, self.cat, self.ctx
        folded = tone_fold(text)  # same length: positions in it are positions in text
        cues = find_cues(folded, ctx)
        parents = [p for p in [self.inherited.parent, self.previous_head] if p]
        mentions = find_mentions(folded, cat, parents)
        first_global = next((m for m in mentions if m.ids and not m.within), None)
        if first_global is not None:
            gid = first_global.ids[0]
            if gid not in parents:
                mentions = find_mentions(folded, cat, [*parents, gid])
        for mention in mentions:
            mention.text = text[mention.start : mention.end]  # as printed
        self._mentions = mentions
        figures = [f for f in find_figures(folded, cat, ctx.language, original=text)]
        figures = [f for f in figures if not any(c.start <= f.num_start < c.end for c in cues
                                                 if c.kind in ("period", "through", "comparator"))]
        self._figure_starts = [f.start for f in figures]
        self._figure_ends = [f.end for f in figures if f.is_percent]
        self._all_figure_ends = [f.end for f in figures]

        events: list[tuple[int, int, str, object]] = []
        for c in cues:
            events.append((c.start, 1, "cue", c))
        for mention in mentions:
            events.append((mention.start, 2, "mention", mention))
        for f in figures:
            events.append((f.start, 3, "figure", f))
        for m in _TRONG_DO.finditer(text):
            events.append((m.start(), 0, "trongdo", m.end()))
        for m in _EQUIVALENT.finditer(text):
            events.append((m.start(), 3, "equivalent", m))
        for i, ch in enumerate(text):
            if ch == ";":
                events.append((i, 0, "semicolon", None))
            elif ch == "(":
                events.append((i, 0, "open", None))
            elif ch == ")":
                events.append((i, 0, "close", None))
        events.sort(key=lambda e: (e[0], e[1]))

        period: Period | None = self.inherited.period
        if (period is None and _CONTINUATION.match(text)
                and not any(c.kind in ("period", "through") for c in cues)):
            # "Trong đó, …" continues the previous sentence, and its period
            period = self.previous_period
        period_from_cue = False
        period_through = False
        status = self.inherited.status
        head: str | None = None
        current: str | None = None  # indicator being talked about
        current_label = ""
        current_unknown = False  # the last thing named is not in the catalogue
        last_pos = 0  # end of the last mention/figure/clause break
        component_mode = False
        components_seen: list[Row] = []
        target = False
        stack: list[tuple] = []
        rows: list[Row] = []
        last_level: Row | None = None
        period_at: dict[int, Period | None] = {}
        status_at: dict[int, str] = {}
        comparator_at: dict[int, Cue | None] = {}
        consumed_until = -1
        saw_ytd_cue_after_pending = False
        change_verb: tuple[str, int] | None = None  # "giảm 05 vụ, 05 người chết và 18 …"
        subordinate = False  # the current indicator is a component or a role sibling
        trongdo_end = -1

        last_mention_end = -1

        def content_gap(a: int, b: int) -> list[str]:
            """Unknown words naming the figure at ``b``. Words right after an indicator's name
            (no clause mark, no other figure between) modify that name and are fine, unless
            they narrow its scope to one border gate, district or firm ("qua cửa khẩu Hữu
            Nghị", "của huyện …"); otherwise the words after the last clause mark count."""
            if 0 <= last_mention_end <= b:
                after_name = text[last_mention_end:b]
                example = _EXAMPLES.search(after_name)
                if example:
                    # "tăng chung trong tổng mức bán lẻ như gỗ … tăng 51,7%": an example of
                    # the thing named, not the thing itself
                    return _content_words(after_name[example.end() :]) or ["<example>"]
                unbroken = not re.search(r"[,;:()]", after_name) and not any(
                    last_mention_end <= f < b for f in self._figure_starts
                )
                if unbroken:
                    return ["<narrower scope>"] if _NARROWING.search(after_name) else []
            # the stretch naming this figure starts after the last clause mark or figure
            # (a period cue does not end it: "tỷ lệ học sinh … năm 2022 là 99,08%")
            prior_figures = [e for e in self._all_figure_ends if e <= b]
            seg = max([max(text.rfind(mark, 0, b) for mark in ",;:()") + 1,
                       *prior_figures, 0])
            if self._stray_number(a, b, cues):
                return ["<unknown quantity>"]  # "Bia 4,8 triệu lít, tăng 24,9%"
            if last_mention_end >= seg:
                return ["<narrower scope>"] if _NARROWING.search(text[seg:b]) else []
            gap = text[seg:b]
            for c in cues:
                if seg <= c.start and c.end <= b:
                    gap = gap.replace(text[c.start : c.end], " ")
            return _content_words(gap)

        for pos, _, kind, obj in events:
            if pos < consumed_until:
                continue
            # record the state at every footnote anchor position
            for apos, _n in self.s.anchors:
                if apos <= pos and apos not in period_at:
                    period_at[apos] = period
                    status_at[apos] = status
                    comparator_at[apos] = None
            if kind == "cue":
                cue: Cue = obj  # type: ignore[assignment]
                if cue.kind in ("period", "through"):
                    period = cue.period
                    period_from_cue = True
                    period_through = cue.kind == "through"
                    if cue.period and cue.period.type == "ytd":
                        saw_ytd_cue_after_pending = True
                    last_pos = max(last_pos, cue.end)
                elif cue.kind == "status":
                    status = "estimate"
                elif cue.kind == "target":
                    target = True
            elif kind == "trongdo":
                component_mode = True
                trongdo_end = obj  # type: ignore[assignment]
                components_seen = []
                last_pos = obj  # type: ignore[assignment]
            elif kind == "semicolon":
                if subordinate or current is None or current_unknown:
                    current = head or self.inherited.parent or current
                subordinate = False
                current_label = ""
                current_unknown = False
                if not stack:
                    component_mode = False
                last_level = None
                last_pos = pos + 1
                change_verb = None
                target = False
            elif kind == "open":
                stack.append((period, current, current_label, current_unknown, component_mode,
                               last_level, head))
                last_pos = pos + 1
            elif kind == "close":
                if stack:
                    (period, current, current_label, current_unknown, component_mode,
                     last_level, head) = stack.pop()
                last_pos = pos + 1
                change_verb = None
            elif kind == "mention":
                mention: Mention = obj  # type: ignore[assignment]
                if mention.role and not mention.ids:
                    last_named = next((r.indicator for r in reversed(rows) if r.indicator), None)
                    context = [current, last_named, head, self.inherited.parent]
                    target_id = None if self._narrowed else self._role_target(mention.role, context)
                    if target_id:
                        mention = replace(mention, ids=[target_id])
                        subordinate = True
                    elif mention.role == "realised" or (
                        mention.role in ("area", "output") and current and not current_unknown
                    ):
                        # "thực hiện" is mostly a plain verb; "diện tích"/"sản lượng" of the
                        # crop being listed: its unit will choose
                        last_pos = mention.end
                        if mention.role != "realised":
                            last_mention_end = mention.end
                        continue
                    else:
                        current_unknown = True
                        current_label = mention.text
                        current = None
                        last_pos = mention.end
                        last_mention_end = mention.end
                        continue
                if head is None and mention.ids and not mention.within and not component_mode:
                    head = mention.ids[0] if len(mention.ids) == 1 else None
                    self._head = head
                current = mention.ids[0] if len(mention.ids) == 1 else "|".join(mention.ids)
                current_label = mention.text
                current_unknown = False
                last_pos = mention.end
                last_mention_end = mention.end
                if mention.within or component_mode:
                    subordinate = True
                elif not mention.role:
                    subordinate = False
            elif kind in ("figure", "equivalent"):
                if kind == "equivalent":
                    m = obj
                    fig = None
                    span = (m.start(), m.end())  # type: ignore[attr-defined]
                else:
                    fig = obj  # type: ignore[assignment]
                    span = (fig.start, fig.end)
                unnamed_component = (
                    component_mode and last_mention_end < trongdo_end and fig is not None
                    and not fig.is_percent
                )
                post_cue = next(
                    (c for c in cues if c.kind == "period" and fig is not None
                     and 0 <= c.start - fig.end <= 12
                     and _POST_PERIOD_GAP.fullmatch(text[fig.end : c.start])
                     and not text[c.start].isupper()), None)
                row = self._figure_row(
                    fig, span, cues, mentions,
                    post_cue.period if post_cue is not None else period, status, current,
                    current_label,
                    current_unknown or unnamed_component, head, component_mode, last_level,
                    last_pos,
                    content_gap, change_verb, rows,
                )
                if row is None:
                    continue
                if target:
                    row.flags.append("target")
                    row.indicator = None
                if row.measure in ("level", "yoy_diff") and fig is not None:
                    # "44 người chết" names a new indicator after the number
                    post = next(
                        (mm for mm in mentions
                         if fig.num_end <= mm.start <= fig.end + 1 and mm.end > fig.end - 1),
                        None,
                    )
                    if post is not None:
                        consumed_until = max(consumed_until, post.end)
                if not period_from_cue and period is None:
                    row.period_pending = True
                row.through = period_through and period_from_cue
                head_eff = head or self.inherited.parent
                if component_mode and row.measure == "level" and row.unit not in ("%", "pp"):
                    row.component_of = head_eff
                    components_seen.append(row)
                    if row.indicator and row.indicator == head_eff:
                        row.flags.append("component_labelled_as_total")
                        row.candidates = [row.indicator]
                        row.indicator = None
                elif component_mode and row.measure != "level" and last_level is not None:
                    row.component_of = head_eff
                    if last_level.flags and "component_labelled_as_total" in last_level.flags:
                        row.flags.append("component_labelled_as_total")
                        row.candidates = [row.indicator] if row.indicator else []
                        row.indicator = None
                    elif (
                        len(components_seen) >= 2
                        and head_eff
                        and row.indicator == components_seen[-1].indicator
                        and not any(
                            r.measure == row.measure and r.indicator == components_seen[0].indicator
                            for r in rows
                        )
                    ):
                        row.flags.append("ambiguous_attachment")
                        row.candidates = [row.indicator or "", head_eff]
                rows.append(row)
                if row.indicator is None and "indicator_unknown" in row.flags:
                    current, current_unknown = None, True  # what follows is about it too
                if row.measure == "level" and "subject_unknown" in row.flags:
                    # "tỷ lệ học sinh … là 99,08%, tăng 0,22%": what follows is about that rate
                    current, current_label, current_unknown = None, row.label, True
                if row.measure == "level" and row.unit not in ("%", "pp"):
                    # (a share or rate read as a bare percentage is not a new subject)
                    last_level = row
                    if row.indicator:
                        current = row.indicator
                        current_label = row.label
                        current_unknown = False
                    else:
                        current_unknown = True
                        current = None
                        current_label = row.label
                if row.measure == "yoy_diff" and row.indicator:
                    current, current_label, current_unknown = row.indicator, row.label, False
                if row.measure == "yoy_diff" and fig is not None:
                    verb = re.search(r"(tăng|giảm)\s+$", text[: fig.start], re.IGNORECASE)
                    word = verb.group(1).lower() if verb else (change_verb or ("tăng", 0))[0]
                    change_verb = (word, max(fig.end, consumed_until))
                if head is None and row.indicator and row.measure == "level" and not component_mode:
                    head = row.indicator
                last_pos = max(last_pos, span[1])
                if consumed_until > last_pos:
                    last_pos = consumed_until

        for apos, _n in self.s.anchors:
            if apos not in period_at:
                period_at[apos] = period
                status_at[apos] = status
        # the comparator in force at each anchor: the last one before it
        for apos in period_at:
            before = [c for c in cues if c.kind == "comparator" and c.end <= apos]
            comparator_at[apos] = before[-1] if before else None

        self._pair_respectively(rows, mentions)
        self._finish_periods(rows, saw_ytd_cue_after_pending)
        comparators = [c for c in cues if c.kind == "comparator"]
        # what the sentence is about: the indicator of its first figure, else its first name
        first = next((r for r in rows if r.measure == "level" and r.indicator
                      and not r.component_of), None)
        if first is not None:
            head = first.indicator
        return SentenceResult(rows, head or self.inherited.parent or self.previous_head,
                              period_at, status_at, comparator_at, period,
                              comparators[-1] if comparators else self.inherited.comparator)

    # ------------------------------------------------------------------ figure
    def _figure_row(
        self, fig: Figure | None, span, cues, mentions, period, status, current, current_label,
        current_unknown, head, component_mode, last_level, last_pos, content_gap, change_verb,
        rows,
    ) -> Row | None:
        text = self.text
        if fig is None:  # "tương đương cùng kỳ": a yoy change of zero
            indicator, label, flags = self._attach_change(current, current_label, current_unknown,
                                                          last_level, span[0], last_pos,
                                                          content_gap)
            return Row(indicator, label, period, "yoy_pct", None, 0.0, "%", text[span[0]:span[1]],
                       None, status, span[0], span[1], flags=flags)
        if self._narrowed_before(fig.start):
            # "Riêng Phú Quốc đón …", "TP Phú Quốc đã đón …": a part, never the province
            current_unknown = True
        if fig.is_percent:
            return self._percent_row(fig, cues, period, status, current, current_label,
                                     current_unknown, last_level, last_pos, content_gap)
        if fig.dimension == "pp":
            # "đóng góp 1,15 điểm phần trăm": a contribution to growth, never a growth rate
            owner = self.cat.indicators.get(current or "")
            if owner is not None and owner.contribution and not current_unknown:
                return Row(owner.contribution, current_label, period, "level", None, fig.value,
                           "pp", fig.printed, fig.qualifier, status, fig.start, fig.end,
                           decimals=fig.decimals)
            return Row(None, current_label, period, "level", None, fig.value, "pp", fig.printed,
                       fig.qualifier, status, fig.start, fig.end, flags=["percentage_points"])
        pre = text[max(0, fig.start - 12) : fig.start]
        verb = re.search(r"(tăng|giảm)(\s+thêm)?\s+$", pre, re.IGNORECASE)
        inherited_change = (
            change_verb is not None
            and re.fullmatch(r"[\s,]*(?:và\s*)?", text[change_verb[1] : fig.start]) is not None
        )
        equal_to = re.search(r"(?<!\w)bằng\s+$", pre, re.IGNORECASE)
        if equal_to and rows and rows[-1].measure in ("yoy_pct", "change_pct") and \
                not self.text[rows[-1].end : fig.start].count(";"):
            # "tăng 2,64%, bằng 7.300 con so với cùng kỳ": the same change, in units
            return self._diff_row(fig, cues, period, status, current, head, mentions,
                                  "giảm" if rows[-1].value < 0 else "tăng", rows, False)
        if fig.explicit_sign and not verb:
            # "(-7,95 ha)", "+9,3 triệu KWh": a printed sign makes an absolute change
            return self._diff_row(fig, cues, period, status, current, head, mentions,
                                  "giảm" if fig.number < 0 else "tăng", rows, False)
        if (verb or inherited_change) and not re.search(r"(lên|xuống|còn)\s+$", pre):
            return self._diff_row(fig, cues, period, status, current, head, mentions,
                                  verb.group(1).lower() if verb else change_verb[0], rows,
                                  verb is not None)
        return self._level_row(fig, mentions, period, status, current, current_label,
                               current_unknown, head, component_mode, last_pos, content_gap)

    def _window_before(self, b: int) -> str:
        """The words leading to the figure at ``b``: since the last figure or ";"."""
        start = max([self.text.rfind(";", 0, b) + 1,
                     *(e for e in self._all_figure_ends if e <= b), 0])
        return self.text[start:b]

    def _narrowed_before(self, b: int) -> bool:
        province = self.ctx.province
        for m in _NARROWING.finditer(self._window_before(b)):
            after = self._window_before(b)[m.start() : m.end() + 30]
            if province and province in after and province in CENTRAL_CITIES:
                continue  # "TP Cần Thơ" in a report about Cần Thơ is the whole of it
            return True
        return False

    def _other_place_before(self, b: int) -> bool:
        """A place other than the report's province named before a figure whose unit alone
        would name it ("Vịnh Hạ Long đón khoảng 40.000 lượt khách")."""
        window = self._window_before(b)
        clause = window[max(window.rfind(","), window.rfind(":")) + 1 :].strip()
        province = self.ctx.province
        for m in _PROPER_NAME.finditer(clause):
            name = m.group(0)
            if province and province in name:
                continue
            if not province and m.start() == 0 and len(name.split()) < 3:
                continue  # the subject of the clause: most likely the province itself
            return True
        return False

    def _stray_number(self, a: int, b: int, cues: list[Cue]) -> bool:
        """Whether ``[a, b)`` holds a quantity that is not a figure: a number followed by a
        unit the catalogue does not know ("5 triệu hộp", "7,9 triệu cái"), which whatever
        percentage follows is about."""
        for m in _STRAY.finditer(self.text, a, b):
            if fold(m.group(2)) in _NOT_UNITS:
                continue
            if any(c.start <= m.start() < c.end for c in cues):
                continue
            if m.start() in self._figure_starts:
                continue
            return True
        return False

    def _label_before(self, a: int, b: int) -> str:
        """The words naming a figure the catalogue does not know: the stretch of its clause
        before it, without the verbs and cue words around it (at most eight words)."""
        stretch = self.text[a:b]
        cut = max(stretch.rfind(mark) for mark in ",;:(")
        words = stretch[cut + 1 :].split()
        while words and fold(words[-1]).strip(".,") in _LABEL_TRAIL:
            words.pop()
        while words and fold(words[0]).strip(".,") in FILLER:
            words.pop(0)
        if not words:
            words = _WORD.findall(stretch)[-6:]
        return " ".join(words[-8:])

    def _postfix_mention(self, fig: Figure, mentions: list[Mention]) -> Mention | None:
        for m in mentions:
            if fig.num_end <= m.start <= fig.end + 1:
                return m
        return None

    def _level_row(self, fig, mentions, period, status, current, current_label, current_unknown,
                   head, component_mode, last_pos, content_gap) -> Row:
        flags: list[str] = []
        indicator: str | None = None
        label = current_label
        post = self._postfix_mention(fig, mentions)
        if post is not None and post.role and not post.ids and component_mode and current_unknown:
            # "(trong đó, đường sắt 5 vụ và 6 người chết)": deaths of the unknown part
            return self._make_level(fig, None, post.text, period, status, ["indicator_unknown"])
        if post is not None:
            ids = post.ids
            if post.role and not ids:
                tid = self._role_target(post.role, [current, head, self.inherited.parent])
                ids = [tid] if tid else []
            label = post.text
            indicator = self._resolve_ids(ids, fig) if ids else None
            if indicator is None:
                flags.append("indicator_unknown")
            return self._make_level(fig, indicator, label, period, status, flags)
        gap_words = content_gap(last_pos, fig.start)
        if current_unknown or gap_words:
            label = self._label_before(last_pos, fig.start) or current_label
            return self._make_level(fig, None, label, period, status, ["indicator_unknown"])
        candidates: list[str | None] = []
        if current:
            candidates.append(current)
        if not component_mode:
            candidates.extend([head, self.previous_head if not head else None])
        for cand in candidates:
            if not cand:
                continue
            resolved = self._resolve_ids(cand.split("|"), fig)
            if resolved:
                indicator = resolved
                break
        if indicator is None:
            flags.append("indicator_unknown" if not current else "unit_mismatch")
            if not label:
                label = self._label_before(last_pos, fig.start)
        elif not label:
            label = self.cat.indicators[indicator].name_vi
        return self._make_level(fig, indicator, label, period, status, flags)

    def _make_level(self, fig, indicator, label, period, status, flags) -> Row:
        narrowed = self._narrowed_before(fig.start)
        if narrowed:
            self._narrowed = True  # the rest of the sentence is about that part too
        if narrowed and indicator is not None:
            # "TP Phú Quốc đã đón hơn 4 triệu lượt khách du lịch": a part of the province
            indicator, flags = None, [*flags, "narrower_scope"]
        if (indicator is None and fig.implies and "target" not in flags and not narrowed
                and not self._other_place_before(fig.start)):
            # "đón hơn 4,4 triệu lượt khách": the unit itself says tourists
            indicator = fig.implies
            flags = [f for f in flags if f not in ("indicator_unknown", "unit_mismatch")]
        unit = fig.unit
        value = fig.value
        if fig.dimension == "percent":
            unit = "%"
        ind = self.cat.indicators.get(indicator or "")
        if ind is not None and ind.unit != unit and (unit, ind.unit) in _CONVERSIONS:
            value, unit = float(f"{value * _CONVERSIONS[(unit, ind.unit)]:.12g}"), ind.unit
        return Row(indicator, label, period, "level", None, value, unit, fig.printed,
                   fig.qualifier, status, fig.start, fig.end, flags=list(flags),
                   decimals=fig.decimals)

    def _attach_change(self, current, current_label, current_unknown, last_level, start,
                       last_pos, content_gap):
        flags: list[str] = []
        if current_unknown:
            return None, current_label, ["indicator_unknown"]
        gap_words = content_gap(last_pos, start)
        if gap_words:
            label = self._label_before(last_pos, start)
            return None, label, ["indicator_unknown"]
        if current and "|" in current:
            if last_level is not None and last_level.indicator:
                return last_level.indicator, last_level.label, flags
            return None, current_label, ["indicator_ambiguous"]
        indicator = current
        if indicator is None and self.previous_head and not gap_words:
            indicator = self.previous_head
        if indicator is None:
            flags.append("indicator_unknown")
        return indicator, current_label or (
            self.cat.indicators[indicator].name_vi if indicator else ""
        ), flags

    def _diff_row(self, fig, cues, period, status, current, head, mentions, verb, rows,
                  verb_here) -> Row:
        sign = -1.0 if verb == "giảm" else 1.0
        post = self._postfix_mention(fig, mentions)
        indicator = None
        label = ""
        if post is not None:
            ids = post.ids
            if post.role and not ids:
                tid = self._role_target(post.role, [current, head, self.inherited.parent])
                ids = [tid] if tid else []
            indicator = self._resolve_ids(ids, fig) if ids else None
            label = post.text
        elif current and "|" not in current and current in self.cat.indicators and _compatible(
            self.cat, self.cat.indicators[current], fig
        ):
            # "số người bị thương giảm 3 người": the indicator just named
            indicator = current
            label = self.cat.indicators[current].name_vi
        else:
            # the absolute change of the quantity just given in the same unit ("42 vụ …
            # (giảm 05 vụ …)")
            for prior in reversed(rows):
                if (prior.measure == "level" and prior.indicator and prior.unit == fig.unit
                        and _compatible(self.cat, self.cat.indicators[prior.indicator], fig)):
                    indicator, label = prior.indicator, prior.label
                    break
            else:
                for cand in [current, head]:
                    if cand:
                        indicator = self._resolve_ids(cand.split("|"), fig)
                        if indicator:
                            break
                label = self.cat.indicators[indicator].name_vi if indicator else ""
        comp, how = self._comparator_for(fig.end, cues)
        flags = [] if indicator else ["indicator_unknown"]
        if comp is None or comp.base_kind not in ("yoy", "yoy_avg"):
            flags.append("comparator_not_yoy" if comp else "comparator_missing")
            indicator = None if comp else indicator
        value = sign * abs(fig.value)
        printed = fig.printed
        if verb_here:
            printed = f"{verb} {fig.printed}"
        row = Row(indicator, label, period, "yoy_diff", None, value, fig.unit, printed,
                  fig.qualifier, status, fig.start, fig.end, flags=flags, decimals=fig.decimals)
        if comp is None:
            row.indicator = None
        return row

    def _percent_row(self, fig, cues, period, status, current, current_label, current_unknown,
                     last_level, last_pos, content_gap) -> Row | None:
        text = self.text
        before = text[last_pos : fig.start]
        verbs = list(_VERB.finditer(before))
        verb = fold(verbs[-1].group(1)) if verbs else None
        verb = re.sub(r"\s+", " ", verb) if verb else None
        if verb == "hoàn thành":
            verb = "đạt"  # "hoàn thành 64% dự toán"
        indicator, label, flags = self._attach_change(current, current_label, current_unknown,
                                                      last_level, fig.start, last_pos,
                                                      content_gap)
        post = _PCT_POSTFIX.match(text, fig.end)
        if post is not None:
            # "tăng 7,69% số vụ, 2,94% số người chết": the name printed after the percentage
            named = next((m for m in self._mentions if m.start == post.end()), None)
            if named is not None:
                ids = named.ids or [
                    t for t in [self._role_target(named.role or "", [current, self._head])] if t
                ]
                if len(ids) == 1:
                    indicator, label, flags = ids[0], named.text, []
        if not label:
            label = self._label_before(last_pos, fig.start)
        value = fig.number
        printed = fig.printed
        if verbs:
            printed = text[last_pos + verbs[-1].start() : fig.end]
        # percentage points are not growth rates
        if _PP.match(text, fig.end):
            return Row(None, label, period, "level", None, value, "pp", printed, fig.qualifier,
                       status, fig.start, fig.end, flags=["percentage_points"])
        owner = self.cat.indicators.get(indicator or "")
        if _SCENARIO.match(text, fig.end):
            # "bằng 95% kịch bản": a share of a growth scenario, neither a plan nor a change
            return Row(None, label, period, "level", None, value, "%", printed, fig.qualifier,
                       status, fig.start, fig.end, flags=["scenario_share"],
                       decimals=fig.decimals)
        plan = plan_after(text, fig.end)
        if verb == "chiếm" and plan is not None:
            verb = "đạt"  # "chiếm 13,4% kế hoạch": a plan share
        if verb == "chiếm" and owner is not None and owner.share:
            return Row(owner.share, label, period, "level", None, value, "%", printed,
                       fig.qualifier, status, fig.start, fig.end, decimals=fig.decimals)
        clause = text[max(text.rfind(mark, 0, fig.start) for mark in ",;:(") + 1 : fig.start]
        rate = _RATE_WORD.search(before) or _RATE_WORD.search(clause) or verb == "chiếm"
        if rate and plan is None:
            return Row(None, label, period, "level", None, value, "%", printed, fig.qualifier,
                       status, fig.start, fig.end, flags=["share_or_rate", *_unknown(indicator)],
                       decimals=fig.decimals)
        if plan is not None:
            measure = "plan_pct"
            base = plan[1]
            if verb == "vượt" and value < 100:
                # "vượt 28,6% dự toán" is 128,6% of it; "vượt 132% dự toán" (press usage)
                # can only mean that 132% was reached
                value = 100.0 + value
            elif verb in ("tăng", "giảm"):
                flags.append("plan_change_ambiguous")
                indicator = None
            return Row(indicator, label, period, measure, base, value, "%", printed,
                       fig.qualifier, status, fig.start, fig.end, flags=flags,
                       decimals=fig.decimals)
        comp, how = self._comparator_for(fig.end, cues, fig.start)
        if (comp is not None and how != "direct" and comp.base_kind == "mom"
                and period is not None and period.type in ("ytd", "year", "half", "quarter")):
            # a borrowed "so với tháng trước" cannot be the base of a cumulative figure
            comp, how = None, "none"
        ind_entry = self.cat.indicators.get(indicator) if indicator else None
        if ind_entry is not None and ind_entry.bare_percent and (comp is None or how != "direct"):
            # a growth-rate indicator: "tốc độ tăng trưởng kinh tế ước đạt 8,06%"
            signed = -abs(value) if verb == "giảm" else value
            return Row(indicator, label, period, ind_entry.bare_percent, None, signed, "%",
                       printed, fig.qualifier, status, fig.start, fig.end, flags=flags,
                       decimals=fig.decimals)
        has_plan_word = re.search(r"kế\s+hoạch|dự\s+toán", text, re.IGNORECASE) is not None
        if verb == "đạt" and (comp is None or how != "direct"):
            # "đạt 56,9%" in a list of plan shares
            if (has_plan_word and last_level is not None and indicator is not None
                    and last_level.indicator == indicator):
                return Row(indicator, label, period, "plan_pct", None, value, "%", printed,
                           fig.qualifier, status, fig.start, fig.end,
                           flags=[*flags, "plan_implied"], decimals=fig.decimals)
            return Row(None, label, period, "level", None, value, "%", printed, fig.qualifier,
                       status, fig.start, fig.end, flags=["share_or_rate", *_unknown(indicator)],
                       decimals=fig.decimals)
        if verb in ("tăng lên", "giảm xuống", "giảm còn"):
            return Row(None, label, period, "level", None, value, "%", printed, fig.qualifier,
                       status, fig.start, fig.end, flags=["share_or_rate", *_unknown(indicator)],
                       decimals=fig.decimals)
        if comp is None:
            if verb is None and not fig.explicit_sign:
                return Row(None, label, period, "level", None, value, "%", printed,
                           fig.qualifier, status, fig.start, fig.end,
                           flags=["share_or_rate", *_unknown(indicator)],
                           decimals=fig.decimals)
            effective = period or self.ctx.default  # a cumulative report's own period
            cumulative = effective is not None and effective.type in (
                "ytd", "year", "quarter", "half")
            herd_like = owner is not None and owner.bare_change == "yoy_pct"
            if indicator and verb in ("tăng", "giảm", "bằng") and (cumulative or herd_like):
                # a change of a year-to-date total, or of a herd, with no base printed is
                # against the same period of last year (there is no other base for it)
                return Row(indicator, label, period, "yoy_pct", None,
                           self._signed(value, verb, fig), "%", printed, fig.qualifier, status,
                           fig.start, fig.end, flags=[*flags, "comparator_implied"],
                           decimals=fig.decimals)
            flags.append("comparator_missing")
            return Row(None, label, period, "change_pct", None, self._signed(value, verb, fig),
                       "%", printed, fig.qualifier, status, fig.start, fig.end, flags=flags,
                       candidates=[indicator] if indicator else [], decimals=fig.decimals)
        value = self._signed(value, verb, fig)
        if owner is not None and owner.role == "capital" and owner.role_of and \
                _ABOUT_COUNT.match(text, fig.end):
            # "tăng 12% về số doanh nghiệp": the count, not the capital just named
            indicator = owner.role_of[0]
        base = None
        if comp.base_kind == "yoy_avg":
            # "so với bình quân cùng kỳ": the average of the months so far, against last year's
            measure = "yoy_pct"
            if period is not None and period.type == "month":
                period = Period.ytd(int(period.value[:4]), int(period.value[5:7]))
        elif comp.base_kind == "yoy":
            measure = "yoy_pct"
        elif comp.base_kind == "mom":
            measure = "mom_pct"
        elif comp.base_kind == "base_month":
            measure, base = "base_pct", comp.base
            if period is not None and period.type == "month":
                y, m = int(period.value[:4]), int(period.value[5:7])
                prev = f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
                if comp.base == prev:
                    measure, base = "mom_pct", None
                elif comp.base == f"{y - 1:04d}-{m:02d}":
                    measure, base = "yoy_pct", None  # "tháng 8/2021 … so với tháng 8/2020"
        elif comp.base_kind == "qoq":
            measure, base = "base_pct", "previous_quarter"
        else:
            measure, base = "base_pct", comp.base
        if how == "inherited":
            flags.append("comparator_inherited")
        return Row(indicator, label, period, measure, base, value, "%", printed, fig.qualifier,
                   status, fig.start, fig.end, flags=flags, decimals=fig.decimals)

    @staticmethod
    def _signed(value: float, verb: str | None, fig: Figure) -> float:
        if fig.explicit_sign:
            return value
        if verb == "giảm":
            return -abs(value)
        if verb in ("bằng", "đạt"):
            return round(value - 100.0, 10)
        return value

    # ------------------------------------------------------------------ lần lượt
    def _pair_respectively(self, rows: list[Row], mentions: list[Mention]) -> None:
        """``xuất khẩu và nhập khẩu lần lượt đạt 220 và 160 triệu USD``: the n-th figure
        after ``lần lượt``/``tương ứng`` belongs to the n-th indicator named before it."""
        text = self.text
        for marker in _RESPECTIVELY.finditer(text):
            clause_start = max(text.rfind(";", 0, marker.start()), text.rfind(":", 0,
                                                                             marker.start())) + 1
            clause_end = text.find(";", marker.end())
            clause_end = len(text) if clause_end < 0 else clause_end
            named = [m for m in mentions
                     if clause_start <= m.start < marker.start() and len(m.ids) == 1]
            after = [r for r in rows if marker.end() <= r.start < clause_end]
            if len(named) < 2 or not after:
                continue
            for measure in dict.fromkeys(r.measure for r in after):
                group = [r for r in after if r.measure == measure]
                if len(group) != len(named):
                    continue
                for row, mention in zip(group, named, strict=True):
                    ind = self.cat.indicators[mention.ids[0]]
                    if row.measure == "level" and self.cat.dimension(ind) != \
                            self.cat.dimension_of_unit.get(row.unit, row.unit):
                        continue
                    row.indicator, row.label = ind.id, mention.text
                    row.flags = [f for f in row.flags if f not in ("indicator_unknown",
                                                                   "unit_mismatch")]

    # ------------------------------------------------------------------ periods
    def _finish_periods(self, rows: list[Row], saw_ytd_later: bool) -> None:
        ctx = self.ctx
        # an indicator compared with the previous month is, here, a month's figure
        monthly = {r.indicator for r in rows if r.measure == "mom_pct" and r.period_pending}
        for row in rows:
            ind = self.cat.indicators.get(row.indicator) if row.indicator else None
            if row.period is not None:
                if ind is not None and ind.is_stock and row.period.type == "ytd":
                    # a stock has no year-to-date: "đến hết tháng 8" is an as-of date, a
                    # year-to-date inherited from the context is the report month
                    end = row.period.value[-7:]
                    if row.through:
                        row.period = Period.month_end(int(end[:4]), int(end[5:7]))
                    else:
                        row.period = Period.month(int(end[:4]), int(end[5:7]))
                elif ind is not None and ind.kind == "flow" and row.period.type == "asof":
                    row.period = _flow_to_date(row.period)
                continue
            if not row.period_pending:
                continue
            if ctx.year is None or ctx.month is None:
                row.flags.append("period_missing")
                continue
            if ind is not None and ind.is_stock:
                row.period = Period.month(ctx.year, ctx.month)
            elif row.indicator in monthly and ctx.kind == "monthly":
                row.period = Period.month(ctx.year, ctx.month)
            elif saw_ytd_later:
                row.period = Period.month(ctx.year, ctx.month)
            elif ctx.default is not None:
                row.period = ctx.default
            elif ind is not None and ind.default_period == "ytd":
                row.period = Period.ytd(ctx.year, ctx.month)
            elif ind is not None and ind.default_period == "month":
                row.period = Period.month(ctx.year, ctx.month)
            else:
                row.flags.append("period_missing")


def _flow_to_date(asof: Period) -> Period:
    """A flow "tính đến 30/11/2025" is summed from the start of the year: the year to date
    when the day closes its month, else the explicit day range from 1 January."""
    year, month = int(asof.value[:4]), int(asof.value[5:7])
    if asof == Period.month_end(year, month):
        return Period.ytd(year, month)
    return Period(f"{year:04d}-01-01/{asof.value}", "range")
