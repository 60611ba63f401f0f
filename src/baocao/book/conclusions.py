"""Sentences whose wording follows the data.

A conclusion typed by hand ("customs revenue was behind the pace") becomes false the day
a report says otherwise. These functions take the figures and choose the words — ahead
or behind, rose or fell, widened or narrowed, consistent or not — so that a chapter's
prose changes when its data do. They describe; they do not assert causes the figures
cannot show.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..publish.charts.formats import fmt_change, fmt_number, fmt_value, join_words


def direction(change: float, up: str = "rose", down: str = "fell",
              flat: str = "was unchanged") -> str:
    """The verb for a change: ``rose``, ``fell`` or ``was unchanged``."""
    if change > 0:
        return up
    if change < 0:
        return down
    return flat


def by_change(change: float, unit: str) -> str:
    """``rose by 25.1%`` / ``fell by 370 billion VND``: a verb and the size of the change."""
    if change == 0:
        return "was unchanged"
    size = f"{abs(change):.1f}%" if unit == "%" else fmt_value(abs(change), unit, 0)
    return f"{direction(change)} by {size}"


def pace(shares: Mapping[str, float], elapsed: float) -> str:
    """Which figures are ahead of an even pace through the year and which behind it.

    ``shares`` maps a name to its % of the annual plan; ``elapsed`` is the % of the year
    gone. ``{'Domestic revenue': 79.6, 'customs revenue': 53.4}``, 66.7 →
    "Domestic revenue (79.6%) was ahead of that pace; customs revenue (53.4%) was
    behind it."
    """
    ahead = [f"{name} ({value:.1f}%)" for name, value in shares.items() if value >= elapsed]
    behind = [f"{name} ({value:.1f}%)" for name, value in shares.items() if value < elapsed]
    clauses = []
    if ahead:
        clauses.append(f"{join_words(ahead)} {'was' if len(ahead) == 1 else 'were'} ahead of "
                       "that pace")
    if behind:
        it = "it" if ahead else "that pace"
        clauses.append(f"{join_words(behind)} {'was' if len(behind) == 1 else 'were'} behind {it}")
    sentence = "; ".join(clauses) + "."
    return sentence[0].upper() + sentence[1:]


def largest(values: Mapping[str, float]) -> str:
    """The name of the largest value."""
    return max(values, key=lambda k: values[k])


def larger_in_every(parts: Mapping[str, list[float]]) -> str | None:
    """The part that is the largest in every period, or None when it changes."""
    names = list(parts)
    n = len(next(iter(parts.values())))
    leaders = {max(names, key=lambda k: parts[k][i]) for i in range(n)}
    return leaders.pop() if len(leaders) == 1 else None


def co_movement(changes: Mapping[str, float]) -> str:
    """``moved in opposite directions`` / ``both rose`` / ``both fell`` for two changes."""
    signs = {(v > 0) - (v < 0) for v in changes.values()}
    if len(signs) > 1:
        return "moved in opposite directions"
    sign = signs.pop()
    return {1: "both rose", -1: "both fell", 0: "were both unchanged"}[sign]


def contributions(
    total_name: str,
    current: Mapping[str, float],
    previous: Mapping[str, float],
    unit: str,
) -> str:
    """How each part's change adds up to the total's, in the unit of the levels.

    ``current`` and ``previous`` map the total's name and each part's name to its level.
    "Total revenue fell by 203 billion VND: customs revenue fell by 372 billion VND while
    domestic revenue rose by 169 billion VND."
    """
    change = {name: current[name] - previous[name] for name in current}
    total = change.pop(total_name)
    same = [n for n, c in change.items() if (c > 0) == (total > 0) and c != 0]
    other = [n for n, c in change.items() if n not in same]
    head = f"{total_name[0].upper()}{total_name[1:]} {by_change(total, unit)}"
    parts = [f"{n} {by_change(change[n], unit)}" for n in same]
    offsets = [f"{n} {by_change(change[n], unit)}" for n in other]
    if not parts:
        return f"{head}: {join_words(offsets)}."
    tail = f" while {join_words(offsets)}" if offsets else ""
    return f"{head}: {join_words(parts)}{tail}."


def balance(exports: float, imports: float, unit: str, decimals: int | None = None) -> str:
    """``a surplus of 870 million USD`` or ``a deficit of …`` (exports less imports)."""
    gap = exports - imports
    if gap == 0:
        return "balanced"
    kind = "surplus" if gap > 0 else "deficit"
    return f"a {kind} of {fmt_value(abs(gap), unit, decimals)}"


def balance_change(before: tuple[float, float], after: tuple[float, float], unit: str) -> str:
    """How the trade balance moved between two periods, and what moved it.

    ``before`` and ``after`` are (exports, imports). "The surplus widened from about 620
    to 870 million USD: exports rose by 480 million USD and imports by 230 million USD."
    """
    b0, b1 = before[0] - before[1], after[0] - after[1]
    d_exp, d_imp = after[0] - before[0], after[1] - before[1]
    if b0 > 0 and b1 > 0:
        verb = "widened" if b1 > b0 else "narrowed" if b1 < b0 else "was unchanged"
        head = (f"The surplus {verb} from about {fmt_number(b0, 0)} to "
                f"{fmt_value(b1, unit, 0)}")
    elif b0 < 0 and b1 < 0:
        verb = "widened" if b1 < b0 else "narrowed" if b1 > b0 else "was unchanged"
        head = (f"The deficit {verb} from about {fmt_number(-b0, 0)} to "
                f"{fmt_value(-b1, unit, 0)}")
    else:
        head = f"The balance moved from {balance(*before, unit, 0)} to {balance(*after, unit, 0)}"
    imports = f"imports {by_change(d_imp, unit)}"
    if direction(d_imp) == direction(d_exp) and d_imp != 0:
        imports = f"imports by {fmt_value(abs(d_imp), unit, 0)}"
    return f"{head}: exports {by_change(d_exp, unit)} and {imports}."


def compare_rates(first: tuple[str, float], second: tuple[str, float]) -> str:
    """Two percentage changes side by side, with a contrast only when they differ in sign.

    "imports rose by 24.8% while customs revenue fell by 19.5%".
    """
    (a_name, a), (b_name, b) = first, second
    link = "while" if (a > 0) != (b > 0) else "and"
    return f"{a_name} {by_change(a, '%')} {link} {b_name} {by_change(b, '%')}"


def consistent(implied_parts: float, implied_total: float, low: float, high: float,
               unit: str) -> str:
    """Whether the sum of implied parts falls within the rounding range of the implied total."""
    if low <= implied_parts <= high:
        return "the report's percentages are consistent with one another"
    gap = implied_parts - implied_total
    return (f"the implied parts differ from the implied total by {fmt_value(gap, unit, 0)}, "
            "more than the rounding of the printed percentages allows")


def month_vs_ytd(name: str, month: tuple[str, float], ytd: float) -> str:
    """A month's change next to the year to date's, ranked without adjectives.

    "The industrial production index was 25.40% above a year earlier in Aug 2017, a higher
    rate than the 9.8% of the year to date".
    """
    label, value = month
    rank = "higher" if value > ytd else "lower" if value < ytd else "the same"
    word = "above" if value >= 0 else "below"
    return (f"{name} was {abs(value):.2f}% {word} a year earlier in {label}, "
            f"{'a ' + rank + ' rate than' if rank != 'the same' else 'the same rate as'} "
            f"the {fmt_change(ytd)} of the year to date")
