"""Stage 1 of reading a sentence: find every typed span before deciding anything.

Recognisers run once per sentence on its tone-folded copy: period, comparison, status and
target cues (:mod:`.periods`), indicator mentions (:mod:`.mentions`), figures
(:mod:`.figures`) and the structural markers (``trong đó``, ``tương đương cùng kỳ``,
``;``, brackets). The result, a :class:`Reading`, is what the later stages consult; the
events it lists, in text order, are what the reader walks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import Catalogue, tone_fold
from .figures import Figure, find_figures
from .lexicon import Lexicon, load_lexicon
from .mentions import sentence_mentions
from .model import Mention
from .periods import Cue, ReportContext, find_cues
from .textmodel import Sentence

# events at one position are handled in this order: structure, cues, names, figures
_ORDER = {"components": 0, "semicolon": 0, "open": 0, "close": 0, "cue": 1, "mention": 2,
          "figure": 3, "same_as_last_year": 3}
_PUNCTUATION = {";": "semicolon", "(": "open", ")": "close"}


@dataclass(frozen=True)
class Event:
    """A recognised span the reader reacts to, in text order."""

    pos: int
    kind: str  # components | semicolon | open | close | cue | mention | figure | same_as_last_year
    item: object = None
    end: int = 0

    @property
    def order(self) -> tuple[int, int]:
        return self.pos, _ORDER[self.kind]


@dataclass
class Reading:
    """A sentence with everything recognised in it."""

    sentence: Sentence
    text: str
    folded: str
    ctx: ReportContext
    cat: Catalogue
    lex: Lexicon
    cues: list[Cue]
    mentions: list[Mention]
    figures: list[Figure]
    events: list[Event] = field(default_factory=list)

    @property
    def figure_starts(self) -> list[int]:
        return [f.start for f in self.figures]

    @property
    def percent_ends(self) -> list[int]:
        return [f.end for f in self.figures if f.is_percent]

    @property
    def figure_ends(self) -> list[int]:
        return [f.end for f in self.figures]

    def comparators(self) -> list[Cue]:
        return [c for c in self.cues if c.kind == "comparator"]


def _inside_cue(fig: Figure, cues: list[Cue]) -> bool:
    """A number that is part of a period or a comparison base ("so với 31/12/2016")."""
    return any(c.start <= fig.num_start < c.end for c in cues
               if c.kind in ("period", "through", "comparator"))


def _bare_counts(folded: str, lex: Lexicon, taken: list[tuple[int, int]]) -> list[Figure]:
    """Counts printed without a unit ("số vụ giảm 05"): figures whose unit the reader
    takes from the indicator they count (dimension ``bare`` until then)."""
    out = []
    for m in lex.pattern("BareCount").finditer(folded):
        a, b = m.span("number")
        text = m.group("number")
        if any(s < b and a < e for s, e in taken) or (len(text) == 4 and text[:2] in ("19", "20")):
            continue
        value = float(text.replace(".", ""))
        out.append(Figure(a, b, a, b, text, value, value, "", "bare", None, 0, None, False, b))
    return out


def _events(r: Reading) -> list[Event]:
    events = [Event(c.start, "cue", c, c.end) for c in r.cues]
    events += [Event(m.start, "mention", m, m.end) for m in r.mentions]
    events += [Event(f.start, "figure", f, f.end) for f in r.figures]
    events += [Event(m.start(), "components", None, m.end())
               for m in r.lex.pattern("Components").finditer(r.text)]
    events += [Event(m.start(), "same_as_last_year", m, m.end())
               for m in r.lex.pattern("SameAsLastYear").finditer(r.text)]
    events += [Event(i, _PUNCTUATION[ch], None, i + 1)
               for i, ch in enumerate(r.text) if ch in _PUNCTUATION]
    return sorted(events, key=lambda e: e.order)


def recognize(sentence: Sentence, cat: Catalogue, ctx: ReportContext,
              parents: list[str], families: tuple[str, ...] = ()) -> Reading:
    """Every cue, mention, figure and marker of ``sentence``, with its events in order;
    ``parents`` and ``families`` are what the context is about (their component phrases
    are names here)."""
    text = sentence.text
    folded = tone_fold(text)  # same length: positions in it are positions in text
    cues = find_cues(folded, ctx)
    mentions = sentence_mentions(text, folded, cat, parents, families)
    figures = [f for f in find_figures(folded, cat, ctx.language, original=text)
               if not _inside_cue(f, cues)]
    taken = [(f.start, f.end) for f in figures] + [(c.start, c.end) for c in cues
                                                   if c.kind != "status"]
    figures = sorted(figures + _bare_counts(folded, load_lexicon(), taken),
                     key=lambda f: f.start)
    reading = Reading(sentence, text, folded, ctx, cat, load_lexicon(), cues, mentions, figures)
    reading.events = _events(reading)
    return reading
