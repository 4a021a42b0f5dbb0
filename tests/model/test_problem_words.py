"""The model's problems and refusals are said in French and in English: every table of words
has the same keys and {fields} in both languages, every code the model uses has its
sentence, and a refusal keeps its code so that it can be said again in the other language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from parcours.catalog import load_demo
from parcours.errors import InvalidOperation, NotFound, Problem, no_such
from parcours.files import reads
from parcours.model import operations as ops
from parcours.model.journey import Journey, Link
from parcours.model.validation import journey_problems
from parcours.model.words import LANGUAGES, en, table

MODEL = Path(ops.__file__).parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", [n for n in en.__all__ if isinstance(getattr(en, n), dict)])
def test_every_table_has_the_same_keys_and_fields_in_every_language(name: str) -> None:
    english: dict[str, str] = getattr(en, name)
    for lang in LANGUAGES:
        words = table(name, lang)
        assert sorted(set(english) ^ set(words)) == [], f"{lang}.{name}: keys differ"
        for key, text in english.items():
            assert words[key].strip(), f"{lang}.{name}: empty {key}"
            assert _fields(text) == _fields(words[key]), f"{lang}.{name}: fields of {key} differ"


@pytest.mark.parametrize("name", [n for n in en.__all__ if isinstance(getattr(en, n), list)])
def test_every_list_of_words_has_as_many_words_in_every_language(name: str) -> None:
    for lang in LANGUAGES:
        assert len(getattr(LANGUAGES[lang], name)) == len(getattr(en, name))


def test_every_code_the_model_says_has_its_sentence() -> None:
    used: set[str] = set()
    for path in MODEL.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""(?:\.of|\berror|\bwarn|\bSaid)\(\s*["']([\w.]+)["']""", text))
    assert len(used) > 60
    assert sorted(used - set(en.PROBLEMS)) == []


def test_the_french_sentences_are_french() -> None:
    same = [k for k, v in en.PROBLEMS.items() if table("PROBLEMS", "fr")[k] == v]
    # a persona is a persona in French too
    assert same == ["kind.persona", "validate.warnings", "count.persona.one", "count.persona.other"]


def _journey(text: str) -> Journey:
    result, problems = reads("parcours: 1\njourney: Test\n" + text, "t.yaml")
    assert isinstance(result, Journey), [str(p) for p in problems]
    return result


def test_a_problem_of_the_model_is_said_in_french_with_the_same_values() -> None:
    journey = _journey("stages:\n  - Achat:\n      - Panier\n      - Paiement\n")
    journey.stages[0].steps[0].next = [Link(to="paiment")]
    (problem,) = [p for p in journey_problems(journey) if p.severity == "error"]
    assert problem.message == (
        "step 'Panier' leads to step 'paiment', which does not exist; "
        "expected one of: paiement, panier"
    )
    assert problem.sentence() == problem.message
    assert problem.sentence("fr") == (
        "l'étape « Panier » mène à l'étape « paiment », qui n'existe pas ; "
        "étapes possibles : paiement, panier"
    )
    assert problem.to_dict("fr")["code"] == "step.leads_nowhere"
    assert problem.to_dict("fr")["params"] == {
        "step": "Panier",
        "target": "paiment",
        "choices": "paiement, panier",
    }


def test_a_warning_is_labelled_in_its_language() -> None:
    journey = _journey("stages:\n  - A:\n      - B: {end: true}\n      - C\n")
    (warning,) = journey_problems(journey)
    assert str(warning) == warning.text("en")
    assert warning.text("en").startswith("warning: step 'C' cannot be reached")
    assert warning.text("fr") == (
        "avertissement : l'étape « C » n'est accessible depuis aucune étape d'entrée ; "
        "ajoutez-la à « entries » ou reliez-y une étape avec « next »"
    )


def test_a_refused_edit_is_said_in_french() -> None:
    journey = _journey("stages:\n  - A:\n      - Panier\n      - Paiement\n")
    with pytest.raises(InvalidOperation) as refused:
        ops.apply(journey, ops.RemoveStep(step="paiment"))
    assert str(refused.value) == (
        "no step with id 'paiment'; did you mean 'paiement'? the ids are: panier, paiement"
    )
    assert refused.value.sentence("fr") == (
        "étape « paiment » introuvable ; vouliez-vous dire « paiement » ? "
        "Les identifiants existants sont : panier, paiement"
    )
    with pytest.raises(InvalidOperation) as refused:
        ops.apply(journey, ops.AddEntry(step="panier"))
    assert refused.value.sentence("fr") == "l'étape « panier » est déjà une étape d'entrée"


def test_a_refusal_that_lists_problems_says_each_in_french() -> None:
    atlas = load_demo()
    journey = atlas.journeys[0]
    edit = ops.EditJourney(
        journey=journey.id, ops=[ops.SetJourneyField(field="personas", value=["nobody"])]
    )
    with pytest.raises(InvalidOperation) as refused:
        ops.apply(atlas, edit)
    assert str(refused.value).startswith("batch: no persona with id 'nobody'; the ids are: ")
    assert refused.value.sentence("fr").startswith(
        "batch : persona « nobody » introuvable ; les identifiants existants sont : "
    )
    used = next(
        t
        for t in atlas.library.touchpoints
        if any(t.id in s.touchpoints for j in atlas.journeys for s in j.steps())
    )
    with pytest.raises(InvalidOperation) as refused:
        ops.apply(atlas, ops.RemoveLibraryEntry(kind="touchpoints", id=used.id))
    assert refused.value.sentence("fr").startswith(
        f"point de contact « {used.id} » encore utilisé : parcours « "
    )
    assert refused.value.sentence("fr").endswith("; retirez-le d'abord de ces endroits")


def test_a_missing_id_among_many_and_among_none() -> None:
    many = no_such("step", "z", [f"s{i}" for i in range(30)])
    assert isinstance(many, NotFound)
    assert str(many).endswith("s19, … (30 in all)")
    assert many.sentence("fr").endswith("s19, … (30 en tout)")
    assert no_such("lane", "z", []).sentence("fr") == "ligne « z » introuvable ; la liste est vide"
    other = no_such("template", "z", ["a"])  # a kind without its word: said as given
    assert (
        other.sentence("fr") == "template « z » introuvable ; les identifiants existants sont : a"
    )


def test_a_problem_without_code_is_said_as_written() -> None:
    problem = Problem("the file is empty", file="a.yaml", line=1, column=1)
    assert problem.sentence("fr") == "the file is empty"
    assert problem.text("fr") == "a.yaml:1:1: the file is empty"
    assert "code" not in problem.to_dict("fr")


def test_every_sentence_the_model_says_gets_exactly_its_fields() -> None:
    import ast

    checked = 0
    for path in MODEL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            code = node.args[0]
            if name not in ("of", "error", "warn") or not isinstance(code, ast.Constant):
                continue
            if any(k.arg is None for k in node.keywords):  # **params: checked where they're made
                continue
            given = {k.arg for k in node.keywords} - {"where", "severity"}
            assert given == _fields(en.PROBLEMS[code.value]), f"{path.name}:{node.lineno}"
            checked += 1
    assert checked > 60


def test_a_bad_value_in_an_edit_is_said_in_french() -> None:
    journey = _journey("stages:\n  - Achat:\n      - Panier\n")
    with pytest.raises(InvalidOperation) as refused:
        ops.apply(journey, ops.SetStepField(step="panier", field="name", value=""))
    assert str(refused.value) == "step 'panier': name: should not be empty"
    assert refused.value.sentence("fr") == "étape « panier » : name : ne doit pas être vide"
    with pytest.raises(InvalidOperation) as refused:
        ops.apply(journey, ops.SetJourneyField(field="status", value="fini"))
    assert refused.value.sentence("fr") == (
        "champ « status » du parcours : status : valeurs possibles : "
        "'draft', 'validated', 'archived'"
    )
    with pytest.raises(InvalidOperation) as refused:
        ops.apply(journey, ops.AddLibraryEntry(kind="channels", entry={"name": 3}))
    assert str(refused.value) == "channels entry: id: is required; name: should be a text"
    assert refused.value.sentence("fr") == (
        "entrée de canaux : id : obligatoire ; name : doit être un texte"
    )
