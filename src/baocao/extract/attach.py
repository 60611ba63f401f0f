"""Stage 3 of reading a sentence: which indicator a figure is about, with the reasons.

A figure belongs to the indicator named before it in its clause, to a name printed right
after it ("44 người chết"), to the figure it qualifies, or to the sentence's head — but
only when nothing else names it in between. Words the catalogue does not know between the
name and the figure mean the figure has a name of its own (``thu tiền sử dụng đất 50 tỷ``):
it is left unknown, its phrase kept as the label. A part of the province (one border gate,
one city, a holiday window) or another place is never the province's figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue import Catalogue, Indicator, fold
from .figures import Figure
from .model import Mention, Subject
from .recognize import Reading

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CLAUSE_MARKS = ",;:()"


@dataclass(frozen=True)
class Attachment:
    """The indicator a figure is given (or None), the label it is printed with, and flags
    that say why it was left unknown."""

    indicator: str | None
    label: str
    flags: tuple[str, ...] = ()


def compatible(cat: Catalogue, ind: Indicator, fig: Figure) -> bool:
    """Whether a figure's unit can measure ``ind`` (a percentage fits anything)."""
    if fig.is_percent:
        return True
    if cat.dimension(ind) != fig.dimension:
        return False
    return ind.noun is None or fig.noun is None or ind.noun == fig.noun


def resolve_ids(cat: Catalogue, ids: list[str] | tuple[str, ...], fig: Figure | None) -> str | None:
    """The one id of ``ids`` the figure's unit fits (a phrase shared by several indicators
    is told apart by the unit: tobacco in tấn vs in ha)."""
    if fig is None:
        return ids[0] if len(ids) == 1 else None
    fits = [i for i in ids if compatible(cat, cat.indicators[i], fig)]
    return fits[0] if len(fits) == 1 else None


def content_words(r: Reading, text: str) -> list[str]:
    """Words that name something: not filler, not a price basis, not a place's name ("của
    Lạng Sơn"; a part of the province is caught before, as a narrower scope)."""
    text = r.lex.pattern("PriceBasis").sub(" ", r.lex.pattern("ProperName").sub(" ", text))
    filler = r.lex.words("filler")
    return [w for w in _WORD.findall(text.lower()) if w not in filler]


def window_before(r: Reading, b: int) -> str:
    """The words leading to the figure at ``b``: since the last figure or ";"."""
    start = max([r.text.rfind(";", 0, b) + 1, *(e for e in r.figure_ends if e <= b), 0])
    return r.text[start:b]


def narrowed_before(r: Reading, b: int) -> bool:
    """Whether the words leading to ``b`` narrow the scope to a part ("Riêng Phú Quốc",
    "TP Phú Quốc"); a centrally run city named in its own report is the whole of it."""
    window = window_before(r, b)
    province = r.ctx.province
    central = r.lex.words("central_cities")
    offset = b - len(window)
    names = {mm.start for mm in r.mentions if mm.ids or mm.role}
    for m in r.lex.pattern("Narrowing").finditer(window):
        if offset + m.end() - 1 in names:
            continue  # "riêng xuất khẩu hơn 1,7 tỷ USD": a part named by the catalogue
        after = window[m.start() : m.end() + 30]
        if province and province in after and fold(province) in central:
            continue
        return True
    return False


def other_place_before(r: Reading, b: int) -> bool:
    """A place other than the report's province named before a figure whose unit alone
    would name it ("Vịnh Hạ Long đón khoảng 40.000 lượt khách")."""
    window = window_before(r, b)
    clause = window[max(window.rfind(","), window.rfind(":")) + 1 :].strip()
    province = r.ctx.province
    for m in r.lex.pattern("ProperName").finditer(clause):
        name = m.group(0)
        if province and province in name:
            continue
        if not province and m.start() == 0 and len(name.split()) < 3:
            continue  # the subject of the clause: most likely the province itself
        return True
    return False


def stray_number(r: Reading, a: int, b: int) -> bool:
    """Whether ``[a, b)`` holds a quantity that is not a figure: a number followed by a
    unit the catalogue does not know ("5 triệu hộp"), which a following percentage is about."""
    not_units = r.lex.words("not_units")
    starts = set(r.figure_starts)
    for m in r.lex.pattern("StrayQuantity").finditer(r.text, a, b):
        if fold(m.group("word")) in not_units or m.start() in starts:
            continue
        if any(c.start <= m.start() < c.end for c in r.cues):
            continue
        return True
    return False


def label_before(r: Reading, a: int, b: int) -> str:
    """The words naming a figure the catalogue does not know: the stretch of its clause
    before it, without the verbs and cue words around it (at most eight words)."""
    stretch = r.text[a:b]
    cut = max(stretch.rfind(mark) for mark in _CLAUSE_MARKS)
    words = stretch[cut + 1 :].split()
    trail, filler = r.lex.words("label_trail"), r.lex.words("filler")
    while words and fold(words[-1]).strip(".,") in trail:
        words.pop()
    while words and fold(words[0]).strip(".,") in filler:
        words.pop(0)
    if not words:
        words = _WORD.findall(stretch)[-6:]
    return " ".join(words[-8:])


def content_gap(r: Reading, a: int, b: int, last_mention_end: int) -> list[str]:
    """Unknown words naming the figure at ``b``. Words right after an indicator's name (no
    clause mark, no other figure between) modify that name and are fine, unless they narrow
    its scope or introduce examples; otherwise the words after the last clause mark count."""
    if 0 <= last_mention_end <= b:
        after_name = r.text[last_mention_end:b]
        example = r.lex.pattern("Examples").search(after_name)
        if example:
            # "tăng chung trong tổng mức bán lẻ như gỗ … tăng 51,7%": an example of the
            # thing named, not the thing itself
            return content_words(r, after_name[example.end() :]) or ["<example>"]
        unbroken = not re.search(r"[,;:()]", after_name) and not any(
            last_mention_end <= f < b for f in r.figure_starts)
        if unbroken:
            return ["<narrower scope>"] if r.lex.pattern("Narrowing").search(after_name) else []
    # the stretch naming this figure starts after the last clause mark or figure (a period
    # cue does not end it: "tỷ lệ học sinh … năm 2022 là 99,08%")
    prior = [e for e in r.figure_ends if e <= b]
    seg = max([max(r.text.rfind(mark, 0, b) for mark in _CLAUSE_MARKS) + 1, *prior, 0])
    if stray_number(r, a, b):
        return ["<unknown quantity>"]  # "Bia 4,8 triệu lít, tăng 24,9%"
    if last_mention_end >= seg:
        narrowing = r.lex.pattern("Narrowing").search(r.text[seg:b])
        return ["<narrower scope>"] if narrowing else []
    gap = r.text[seg:b]
    for c in r.cues:
        if seg <= c.start and c.end <= b:
            gap = gap.replace(r.text[c.start : c.end], " ")
    return content_words(r, without_verbs(r, gap))


def without_verbs(r: Reading, text: str) -> str:
    """``text`` with its verbs blanked: a verb says what a figure is, not what it is of."""
    for entry in r.lex.group("verbs"):
        text = entry.regex.sub(" ", text)
    return text


def postfix_mention(fig: Figure, mentions: list[Mention]) -> Mention | None:
    """A name printed right after the figure's number ("44 người chết", "56 doanh nghiệp
    mới đăng ký"); words the unit itself consumed ("40.000 lượt khách") are not one."""
    return next((m for m in mentions if fig.num_end <= m.start <= fig.end + 1
                 and m.end > fig.end), None)


def attach_change(r: Reading, subject: Subject, last_level_id: str | None,
                  last_level_label: str, start: int, last_pos: int, last_mention_end: int,
                  previous_head: str | None) -> Attachment:
    """The indicator a change or share (a percentage) is about: the subject in force,
    unless unknown words name it; of several candidate ids, the last level's."""
    if subject.unknown:
        return Attachment(None, subject.label, ("indicator_unknown",))
    if content_gap(r, last_pos, start, last_mention_end):
        return Attachment(None, label_before(r, last_pos, start), ("indicator_unknown",))
    if len(subject.ids) > 1:
        if last_level_id:
            return Attachment(last_level_id, last_level_label)
        rates = [i for i in subject.ids if r.cat.indicators[i].unit == "%"]
        if len(rates) == 1:  # "GRDP tăng 7,78%": the growth rate, not the level
            return Attachment(rates[0], subject.label)
        return Attachment(None, subject.label, ("indicator_ambiguous",))
    indicator = subject.id or previous_head
    label = subject.label or (r.cat.indicators[indicator].name_vi if indicator else "")
    return Attachment(indicator, label, () if indicator else ("indicator_unknown",))


def unit_sibling(r: Reading, indicator: str | None, fig: Figure) -> str | None:
    """The one sibling of ``indicator`` (its capital, its count) that the figure's unit fits,
    when the indicator itself does not."""
    if not indicator:
        return None
    fits = [s for s in r.cat.siblings(indicator) if compatible(r.cat, r.cat.indicators[s], fig)]
    return fits[0] if len(fits) == 1 else None


def role_target(r: Reading, role: str, context: list[str | None]) -> str | None:
    """The sibling playing ``role`` (deaths, capital, revenue …) of the first indicator in
    ``context`` that has one."""
    return r.cat.role_target(role, [c for c in context if c])


def attach_level(r: Reading, fig: Figure, subject: Subject, candidates: list[str | None],
                 role_context: list[str | None], post: Mention | None, gap: list[str],
                 last_pos: int, carried: bool = False) -> Attachment:
    """The indicator of a level: a name printed after the number first, then the subject
    in force, the sentence's head and the previous sentence's (the last candidate when
    ``carried``; a unit that names an indicator by itself wins over it) — the first its
    unit fits."""
    if post is not None:
        ids = post.ids or [t for t in [role_target(r, post.role or "", role_context)] if t]
        indicator = resolve_ids(r.cat, ids, fig) if ids else None
        return Attachment(indicator, post.text, () if indicator else ("indicator_unknown",))
    if subject.unknown or gap:
        label = label_before(r, last_pos, fig.start) or subject.label
        return Attachment(None, label, ("indicator_unknown",))
    for i, cand in enumerate(candidates):
        indicator = resolve_ids(r.cat, cand.split("|"), fig) if cand else None
        if indicator and i == len(candidates) - 1 and carried and fig.implies:
            indicator = fig.implies  # the unit names it better than the sentence before
        if indicator:
            return Attachment(indicator, subject.label or r.cat.indicators[indicator].name_vi)
    sibling = unit_sibling(r, subject.id, fig)
    if sibling:  # "03 dự án … (102,5 tỷ đồng)", "36 dự án với 3.901,3 tỷ đồng": its capital
        return Attachment(sibling, r.cat.indicators[sibling].name_vi)
    flag = "unit_mismatch" if subject.ids else "indicator_unknown"
    return Attachment(None, subject.label or label_before(r, last_pos, fig.start), (flag,))


def attach_difference(r: Reading, fig: Figure, subject: Subject, head: str | None,
                      post: Mention | None, prior_levels: list[tuple[str, str, str]],
                      parent: str | None, previous_head: str | None = None) -> Attachment:
    """The indicator of an absolute change ("giảm 05 vụ"): a name after the number, the
    indicator just named, the quantity just given in the same unit, or the head (this
    sentence's, else the one before: "… 151 vụ TNGT …. So với cùng kỳ, giảm 29 vụ")."""
    context = [subject.key, head, parent, previous_head]
    if post is not None:
        ids = post.ids or [t for t in [role_target(r, post.role or "", context)] if t]
        return Attachment(resolve_ids(r.cat, ids, fig) if ids else None, post.text)
    current = subject.id
    if current and current in r.cat.indicators and compatible(r.cat,
                                                                r.cat.indicators[current], fig):
        return Attachment(current, r.cat.indicators[current].name_vi)
    for indicator, label, unit in reversed(prior_levels):
        if unit == fig.unit and compatible(r.cat, r.cat.indicators[indicator], fig):
            return Attachment(indicator, label)
    for cand in [subject.key, head, None if subject.ids else previous_head]:
        indicator = resolve_ids(r.cat, cand.split("|"), fig) if cand else None
        if indicator:
            return Attachment(indicator, r.cat.indicators[indicator].name_vi)
    for cand in [subject.key or head or previous_head]:
        sibling = unit_sibling(r, cand, fig)  # "giảm 4 người chết" after accidents
        if sibling:
            return Attachment(sibling, r.cat.indicators[sibling].name_vi)
    return Attachment(None, "")
