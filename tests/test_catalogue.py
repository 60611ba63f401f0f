"""The catalogue files: their schema, their lint rules, and every example they carry.

Each pattern of ``catalogue/vi/*.yaml`` lists examples it must match whole and examples it
must not match anywhere; they run here, one test per pattern, so a change to the grammar's
words that breaks an example is caught at once.
"""

from __future__ import annotations

import pytest

from baocao.extract.lexicon import Lexicon, LexiconError, load_lexicon

LEX = load_lexicon("vi")
CASES = list(LEX.examples())


@pytest.mark.parametrize("where,regex,yes,find,no", CASES, ids=[c[0] for c in CASES])
def test_pattern_examples(where, regex, yes, find, no):
    assert [y for y in yes if not regex.fullmatch(y)] == [], f"{where} misses its examples"
    assert [f for f in find if not regex.search(f)] == [], f"{where} is not found in them"
    assert [n for n in no if regex.search(n)] == [], f"{where} matches a negative example"


def test_every_group_entry_has_an_example():
    bare = [f"{g}[{e.name}]" for g, entries in LEX.groups.items() for e in entries
            if not (e.yes or e.find)]
    assert bare == []


def test_fragments_compose_by_name():
    lex = Lexicon({"a.yaml": {"fragments": {"Year": r"\d{4}", "YearRef": "năm {Year}"}}})
    assert lex.pattern("YearRef").fullmatch("năm   2017")
    assert not lex.pattern("YearRef").search("năm 17")


@pytest.mark.parametrize(
    "documents,message",
    [
        ({"a.yaml": {"fragment": {}}}, "unknown section"),
        ({"a.yaml": {"fragments": {"A": "x {Missing}"}}}, "unknown fragment"),
        ({"a.yaml": {"fragments": {"A": "{B}", "B": "{A}"}}}, "fragment cycle"),
        ({"a.yaml": {"fragments": {"A": "x"}}, "b.yaml": {"fragments": {"A": "y"}}},
         "defined twice"),
        ({"a.yaml": {"fragments": {"A": {"pattern": "x", "colour": 1}}}}, "unknown keys"),
        ({"a.yaml": {"groups": {"g": [{"name": "n", "pattern": "(x"}]}}}, "g\\[n\\]"),
        ({"a.yaml": {"groups": {"g": [{"name": "n", "pattern": "x",
                                        "examples": {"maybe": ["x"]}}]}}}, "examples"),
    ],
)
def test_schema_errors_are_named(documents, message):
    with pytest.raises(LexiconError, match=message):
        Lexicon(documents)
