"""Recogniser of indicator mentions: catalogue phrases, role words, domain words, and the
phrases valid only inside a parent indicator or a family.

Matching runs on the tone-folded text (same length as the printed one), so positions are
positions in the sentence; the printed words are kept as the label. A short, generic name
("tổng thu", "kim ngạch", "xuất khẩu") means something only where its family is being
talked about: after a domain word ("Ngân sách:"), an indicator of the family named in the
sentence, the previous sentence, a citing sentence or the section heading.
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalogue import Catalogue, family
from .model import Mention
from .phrases import Tokens, tokens


def _global(folded: str, toks: Tokens, cat: Catalogue) -> list[Mention]:
    found = []
    for start, end, key in cat.global_index.finditer(toks):
        ids = list(cat.by_phrase.get(key, []))
        role = None if ids else cat.role_phrase.get(key)
        domain = None if ids or role else cat.domain_phrase.get(key)
        blocker = not (ids or role or domain) and key in cat.blockers
        found.append(Mention(start, end, folded[start:end], ids, role=role, domain=domain,
                             blocker=blocker))
    return found


def _within(folded: str, toks: Tokens, cat: Catalogue,
            parents: Iterable[str]) -> list[Mention]:
    found = []
    for parent in parents:
        index = cat.within_index.get(parent)
        if index is None:
            continue
        for start, end, key in index.finditer(toks):
            ids = cat.within[parent][key]
            found.append(Mention(start, end, folded[start:end], list(ids), within=parent))
    return found


def _longest(found: list[Mention]) -> list[Mention]:
    """Of overlapping mentions, the longest (a component or family phrase wins a tie)."""
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda x: (-(x.end - x.start), x.within is None, x.start)):
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda x: x.start)


def find_mentions(folded: str, cat: Catalogue, parents: list[str],
                  families: Iterable[str] = (), toks: Tokens | None = None,
                  found: list[Mention] | None = None) -> list[Mention]:
    """Indicator mentions of a text: global phrases, role, domain and blocker words, and
    the component phrases of ``parents`` and of the active families (those of the parents,
    ``families``, and the domain words in the text). ``toks`` and ``found`` (the global
    mentions) may be passed when already computed."""
    toks = toks if toks is not None else tokens(folded)
    found = found if found is not None else _global(folded, toks, cat)
    active = {*families, *(family(p) for p in parents),
              *(m.domain for m in found if m.domain)}
    return _longest(found + _within(folded, toks, cat, [*parents, *sorted(active)]))


def sentence_mentions(text: str, folded: str, cat: Catalogue, parents: list[str],
                      families: Iterable[str] = ()) -> list[Mention]:
    """The mentions of a sentence: components of the inherited parents, and of the first
    indicator the sentence names itself; labels as printed."""
    toks = tokens(folded)
    found = _global(folded, toks, cat)
    first = next((m for m in _longest(found) if m.ids), None)
    if first is not None and first.ids[0] not in parents:
        parents = [*parents, first.ids[0]]
    mentions = find_mentions(folded, cat, parents, families, toks, found)
    for mention in mentions:
        mention.text = text[mention.start : mention.end]
    return mentions
