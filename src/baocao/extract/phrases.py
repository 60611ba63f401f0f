"""A word-level trie of phrases: every phrase that starts at each word of a text.

The catalogue's names expand into thousands of phrases (names by composition); one regular
expression over all of them takes seconds to compile. A trie over words builds in
milliseconds and finds, at each word, every phrase starting there in a handful of lookups.
Words are runs of letters and digits; every other visible character (``,`` ``-`` ``(``) is
a word of its own, so spacing around punctuation does not matter ("xuất, nhập khẩu" and
"xuất ,nhập khẩu" are the same phrase). Matching is case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_TOKEN = re.compile(r"\w+|[^\w\s]")
_END = ""  # the key under which a trie node stores the phrase ending there


Tokens = tuple[list[int], list[int], list[str]]


def tokens(text: str) -> Tokens:
    """The words of ``text`` as (starts, ends, lower-case words), computed once for all
    the indexes that read it."""
    starts, ends, lowered = [], [], []
    for m in _TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        lowered.append(m.group(0).lower())
    return starts, ends, lowered


def words(text: str) -> list[str]:
    """The lower-case words of ``text``."""
    return [m.group(0).lower() for m in _TOKEN.finditer(text)]


def key(text: str) -> str:
    """The canonical form of a phrase: its words joined by single spaces."""
    return " ".join(words(text))


class PhraseIndex:
    """Phrases by their words; :meth:`finditer` yields ``(start, end, key)`` spans."""

    def __init__(self, phrases: Iterable[str], keyed: bool = False) -> None:
        """``keyed``: the phrases are already keys (:func:`key`), words split by spaces."""
        self.root: dict = {}
        self.size = 0
        for phrase in phrases:
            tokens = phrase.split(" ") if keyed else words(phrase)
            if not tokens:
                continue
            node = self.root
            for token in tokens:
                node = node.setdefault(token, {})
            if _END not in node:
                self.size += 1
            node[_END] = " ".join(tokens)

    def finditer(self, text: str | Tokens, longest_only: bool = True
                 ) -> Iterator[tuple[int, int, str]]:
        """Every phrase at every word start (only the longest there, by default);
        ``text`` may be given as its :func:`tokens` when several indexes read it."""
        toks = tokens(text) if isinstance(text, str) else text
        starts, ends, lowered = toks
        root, n = self.root, len(lowered)
        for i in range(n):
            node = root.get(lowered[i])
            if node is None:
                continue
            found = []
            j = i
            while node is not None:
                if _END in node:
                    found.append((starts[i], ends[j], node[_END]))
                j += 1
                node = node.get(lowered[j]) if j < n else None
            if found:
                yield from (found[-1:] if longest_only else found)

    def leftmost_longest(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Non-overlapping matches, left to right, the longest at each start."""
        end = -1
        for start, stop, phrase in self.finditer(text):
            if start >= end:
                yield start, stop, phrase
                end = stop
