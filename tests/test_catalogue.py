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


# ---------------------------------------------------------------------------- indicators
from baocao.extract.catalogue import (  # noqa: E402
    Catalogue,
    CatalogueError,
    expand_form,
    family,
    load_catalogue,
)
from baocao.extract.mentions import find_mentions  # noqa: E402
from baocao.extract.normalize import tone_fold  # noqa: E402

CAT = load_catalogue()
EXAMPLES = [(ind.id, kind, text) for ind in CAT.indicators.values()
            for kind in ("yes", "no")
            for text in (ind.examples.get(kind) or ind.examples.get(kind == "yes") or ())]


def _named(indicator: str, text: str) -> bool:
    """Whether ``text`` names ``indicator``, with its family being talked about."""
    parents = [indicator, *CAT.indicators[indicator].within]
    mentions = find_mentions(tone_fold(text), CAT, [p for p in parents if p in CAT.indicators],
                             families=[family(indicator)])
    named = {i for m in mentions for i in m.ids}
    context = [i for m in mentions for i in m.ids]
    named |= {CAT.role_target(m.role, context) for m in mentions if m.role}
    return indicator in named


@pytest.mark.parametrize("indicator,kind,text", EXAMPLES,
                         ids=[f"{i}:{k}:{t}" for i, k, t in EXAMPLES])
def test_indicator_examples(indicator, kind, text):
    assert _named(indicator, text) == (kind == "yes")


def test_every_flagship_indicator_carries_examples():
    assert [i.id for i in CAT.indicators.values() if i.flagship and not i.examples] == []


def test_no_phrase_names_two_indicators_a_unit_cannot_tell_apart():
    """A phrase shared by two indicators is told apart by the figure's unit (tobacco in
    tấn and in ha); two indicators of one unit sharing a phrase would be a coin toss."""
    clashes = []
    for phrase, ids in CAT.by_phrase.items():
        kinds = [(CAT.dimension(CAT.indicators[i]), CAT.indicators[i].noun) for i in ids]
        if len(set(kinds)) < len(kinds):
            clashes.append((phrase, ids))
    assert clashes == []


def test_scaled_units_scale_their_base_unit():
    """"nghìn m2" is a thousand m2: every unit written as a scale word and another unit has
    that unit's factor times the scale."""
    scales = LEX.map("scales")
    wrong = []
    for phrase, unit in CAT.units.items():
        head, _, rest = phrase.partition(" ")
        base = CAT.units.get(rest)
        if head in scales and base is not None and base.unit == unit.unit:
            if abs(unit.factor - scales[head] * base.factor) > 1e-9 * unit.factor:
                wrong.append(phrase)
    assert wrong == []


def test_forms_expand_with_optional_parts_alternatives_and_terms():
    terms = {"Budget": ["ngân sách", "nsnn"]}
    assert expand_form("[tổng] thu {Budget} [nhà nước]", terms) >= {
        "thu ngân sách", "tổng thu nsnn nhà nước"}
    assert expand_form(r"chỉ số [\(CPI\)]", {}) == {"chỉ số", "chỉ số ( cpi )"}
    with pytest.raises(CatalogueError, match="not closed"):
        expand_form("[tổng thu", {})
    with pytest.raises(CatalogueError, match="unknown term"):
        expand_form("thu {Nowhere}", {})


@pytest.mark.parametrize("entry,message", [
    ({"id": "x.y", "name_vi": "a", "name_en": "a", "unit": "%", "kind": "flow",
      "colour": "red"}, "unknown key"),
    ({"id": "x.y", "name_vi": "a", "name_en": "a", "unit": "%", "kind": "sometimes"}, "kind"),
    ({"id": "x.y", "name_vi": "a", "name_en": "a", "unit": "%", "kind": "flow",
      "role_of": ["nowhere.id"]}, "unknown indicator"),
])
def test_indicator_schema_errors_are_named(entry, message):
    with pytest.raises(CatalogueError, match=message):
        Catalogue({"indicators": [entry]}, {"units": []})


def test_a_key_given_twice_in_a_catalogue_file_is_an_error():
    from baocao.extract.lexicon import load_yaml

    with pytest.raises(LexiconError, match="given twice"):
        load_yaml("within:\n  trade: [a]\n  trade: [b]\n", "x.yaml")


def test_the_reader_holds_no_vietnamese_words():
    """The genre's words live in the catalogue: no string in ``baocao/extract/*.py`` but
    docstrings and comments is Vietnamese (the one exception: the letter đ, which Unicode
    does not decompose, spelled out for file names)."""
    import ast
    import re
    from pathlib import Path

    import baocao.extract

    viet = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
                      "áàãéèíìóòõúùýĐ]", re.IGNORECASE)
    found = []
    for path in sorted(Path(baocao.extract.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        docs = {id(node.body[0].value) for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
                and ast.get_docstring(node, clean=False)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs and viet.search(node.value)
                    and node.value not in ("đ", "Đ")):
                found.append(f"{path.name}:{node.lineno} {node.value[:40]!r}")
    assert found == []
