"""Recogniser of indicator mentions: catalogue phrases, role words and component phrases.

Matching runs on the tone-folded text (same length as the printed one), so positions are
positions in the sentence; the printed words are kept as the label.
"""

from __future__ import annotations

import re

from .catalogue import Catalogue, fold
from .model import Mention


def _key(text: str) -> str:
    return fold(re.sub(r"\s+", " ", text))


def find_mentions(folded: str, cat: Catalogue, parents: list[str]) -> list[Mention]:
    """Indicator mentions: global phrases, role words, and component phrases of ``parents``;
    of overlapping mentions the longest is kept (component phrases win ties)."""
    found: list[Mention] = []
    for m in cat.global_overlap.finditer(folded):
        key = _key(m.group(1))
        ids = list(cat.by_phrase.get(key, []))
        role = cat.role_phrase.get(key)
        found.append(Mention(m.start(1), m.end(1), m.group(1), ids, role=None if ids else role))
    for parent in parents:
        pattern = cat.within_overlap.get(parent)
        if pattern is None:
            continue
        for m in pattern.finditer(folded):
            ids = cat.within[parent][_key(m.group(1))]
            found.append(Mention(m.start(1), m.end(1), m.group(1), list(ids), within=parent))
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda x: (-(x.end - x.start), x.within is None, x.start)):
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    kept.sort(key=lambda x: x.start)
    return kept


def sentence_mentions(text: str, folded: str, cat: Catalogue,
                      parents: list[str]) -> list[Mention]:
    """The mentions of a sentence: components of the inherited parents, and of the first
    indicator the sentence names itself; labels as printed."""
    mentions = find_mentions(folded, cat, parents)
    first = next((m for m in mentions if m.ids and not m.within), None)
    if first is not None and first.ids[0] not in parents:
        mentions = find_mentions(folded, cat, [*parents, first.ids[0]])
    for mention in mentions:
        mention.text = text[mention.start : mention.end]
    return mentions
