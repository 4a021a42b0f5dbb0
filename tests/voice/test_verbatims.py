"""Verbatims read from files: one row per input row, in order, masked, with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.errors import BadData
from parcours.voice.verbatims import analyze_texts, read_verbatims

DATA = Path(__file__).parent.parent / "data" / "voice"


def test_every_row_comes_back_in_order_with_its_line() -> None:
    report = read_verbatims(DATA / "verbatims.csv", "commentaire", lang_col="langue", suggest=0)
    rows = [r.to_dict() for r in report.rows]
    assert [r["line"] for r in rows] == [2, 3, 4, 5, 6, 7, 9, 10]  # a quoted value spans 7–8
    assert [r["lang"] for r in rows] == ["fr", "fr", "fr", "en", None, "fr", "fr", "en"]
    labels = ["negative", "negative", "positive", "negative", None, "negative", "neutral"]
    assert [r["label"] for r in rows] == [*labels, "positive"]
    assert rows[0]["text"].endswith("Rappelez-moi au [téléphone] !")
    assert rows[1]["text"].endswith("Mon IBAN : [IBAN]")
    assert rows[3]["text"].endswith("Email me at [email]")
    assert "delivery" in rows[0]["themes"] and "contact" in rows[0]["themes"]
    assert rows[4] == {
        "line": 6,
        "lang": None,
        "label": None,
        "score": None,
        "themes": [],
        "text": "",
    }
    summary = report.summary
    assert summary["labels"] == {"positive": 2, "neutral": 1, "negative": 4}
    assert summary["languages"] == {"fr": 5, "en": 2}
    assert (summary["n_rows"], summary["n_blank"]) == (8, 1)
    delivery = next(t for t in summary["themes"] if t["theme"] == "delivery")
    assert delivery["n"] == sum("delivery" in r["themes"] for r in rows)


def test_no_personal_data_survives_anywhere_in_the_report() -> None:
    import json

    report = read_verbatims(DATA / "verbatims.csv", "commentaire", suggest=0)
    dumped = json.dumps(report.to_dict(), ensure_ascii=False)
    for secret in ("06 12 34 56 78", "FR76", "jane.doe", "example.com"):
        assert secret not in dumped


def test_columns_are_recognised_by_their_usual_names(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("id,comment,language\n1,Still waiting.,en\n2,Parfait !,\n", encoding="utf-8")
    report = read_verbatims(path, suggest=0)
    assert [(r.lang, r.label) for r in report.rows] == [("en", "negative"), ("fr", "positive")]


def test_missing_text_column_names_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("id,note\n1,x\n", encoding="utf-8")
    with pytest.raises(
        BadData, match=r"v.csv: no text column found among: id, note; name it with --text-col"
    ):
        read_verbatims(path)
    with pytest.raises(
        BadData,
        match=r"column 'avis' \(given with --text-col\) does not exist; columns are: id, note",
    ):
        read_verbatims(path, "avis")


def test_bad_language_and_bad_shape_are_located(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("text,lang\nBonjour,de\nHello,en\nA,b,c\n", encoding="utf-8")
    with pytest.raises(BadData) as info:
        read_verbatims(path)
    assert "v.csv:4: expected 2 fields separated by ',', found 3" in str(info.value)
    path.write_text("text,lang\nBonjour,de\nHello,en\n", encoding="utf-8")
    with pytest.raises(
        BadData,
        match=r"v.csv:2: language 'de' is not handled; expected one of: fr, en .*\(column 'lang'\)",
    ):
        read_verbatims(path)
    report = read_verbatims(path, on_error="skip", suggest=0)
    assert [r.lang for r in report.rows] == ["fr", "en"]  # detected instead
    assert report.summary["problems"][0]["line"] == 2


def test_analyze_texts_in_memory_and_suggestions() -> None:
    texts = [f"Les horaires d'ouverture de l'agence {k} ne conviennent pas" for k in range(25)]
    report = analyze_texts(texts, suggest=2)
    assert [r.line for r in report.rows] == list(range(1, 26))
    suggested = report.summary["suggested_themes"]
    assert suggested and "horaire" in suggested[0]["words"]
    assert suggested[0]["examples"][0] == 1  # lines of the comments, not indexes


def test_comments_summarised_per_step() -> None:
    report = read_verbatims(DATA / "verbatims.csv", "commentaire", by_col="etape", suggest=0)
    doc = report.to_dict()
    assert doc["summary"]["by"] == "etape"
    assert [r["group"] for r in doc["rows"]][:3] == ["Livraison", "Paiement", "Commande"]
    groups = {g["group"]: g for g in doc["summary"]["groups"]}
    assert list(groups) == ["Livraison", "Paiement", "Commande", "Service client"]
    for name, g in groups.items():
        members = [r for r in doc["rows"] if r["group"] == name and r["label"] is not None]
        assert g["n"] == len(members)
        assert g["negative"] == sum(r["label"] == "negative" for r in members)
        assert g["negative_share"] == round(100 * g["negative"] / g["n"], 1)
    assert groups["Service client"]["negative_share"] == 100.0


def test_excel_and_parquet_keep_their_row_numbers(tmp_path: Path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = ["Toujours rien reçu.", None, "Parfait, merci !"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([])  # an empty first row: the header is the first row with values
    ws.append(["id", "avis"])
    for k, text in enumerate(texts):
        ws.append([k, text])
    wb.save(tmp_path / "v.xlsx")
    pq.write_table(pa.table({"id": [0, 1, 2], "avis": texts}), tmp_path / "v.parquet")
    xlsx = read_verbatims(tmp_path / "v.xlsx", suggest=0)
    assert [(r.line, r.label) for r in xlsx.rows] == [(3, "negative"), (4, None), (5, "positive")]
    parquet = read_verbatims(tmp_path / "v.parquet", suggest=0)
    assert [(r.line, r.label) for r in parquet.rows] == [
        (1, "negative"),
        (2, None),
        (3, "positive"),
    ]


def test_a_long_comment_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text('text\n"' + "Très bien, " * 20_000 + '"\n', encoding="utf-8")
    report = read_verbatims(path, suggest=0)
    assert report.rows[0].label == "positive" and len(report.rows[0].text) > 200_000


def test_a_windows_1252_byte_far_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = b"text\n" + b"Tres bien\n" * 8_000 + "Café froid et service lent\n".encode("cp1252")
    path.write_bytes(body)
    report = read_verbatims(path, suggest=0)
    assert len(report.rows) == 8_001
    assert report.rows[-1].text == "Café froid et service lent"
    assert report.rows[-1].line == 8_002


def test_progress_is_told_the_stages() -> None:
    stages: list[str] = []
    read_verbatims(DATA / "verbatims.csv", "commentaire", suggest=0, progress=stages.append)
    assert stages == ["reading verbatims.csv", "comments 0 / 8", "summary and suggested themes"]


def test_a_user_lexicon_adds_words_and_phrases(tmp_path: Path) -> None:
    comments = tmp_path / "v.csv"
    comments.write_text("text\nCe vendeur est un zorglub.\nUn colis fantôme.\n", encoding="utf-8")
    lexicon = tmp_path / "mots.yaml"
    lexicon.write_text(
        'language: fr\nwords:\n  zorglub: 2.5\nphrases:\n  "colis fantôme": -2.5\n',
        encoding="utf-8",
    )
    plain = read_verbatims(comments, suggest=0)
    assert [r.label for r in plain.rows] == ["neutral", "neutral"]
    extended = read_verbatims(comments, suggest=0, lexicons=[lexicon])
    assert [r.label for r in extended.rows] == ["positive", "negative"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("language: de\n", r"mots.yaml: expected a mapping with 'language: fr' or 'language: en'"),
        (
            "language: fr\nwords:\n  super: 9\n",
            r"mots.yaml: words: super: valence 9 is outside -4 … 4",
        ),
        (
            "language: fr\nmots: {}\n",
            r"mots.yaml: unknown field 'mots'; expected one of: language, words",
        ),
        ("language: fr\nwords: [a\n", r"mots.yaml:3:1: .*; fix the YAML syntax"),
    ],
)
def test_bad_lexicon_files_say_what_to_fix(tmp_path: Path, text: str, message: str) -> None:
    comments = tmp_path / "v.csv"
    comments.write_text("text\nBonjour\n", encoding="utf-8")
    lexicon = tmp_path / "mots.yaml"
    lexicon.write_text(text, encoding="utf-8")
    with pytest.raises(BadData, match=message):
        read_verbatims(comments, lexicons=[lexicon])
