"""Our own corpus, in the shape of real files nobody on this team would write by hand:
a community interview bank, Moodle exports (every kind and text format, a BOM and CRLF,
a .txt name), UTF-16 Russian, repeated titles, and a half-broken file. Each imports,
question by question, with the counts below."""

from pathlib import Path

import pytest
from django.core.management import call_command

from questions.importing import check_files
from questions.models import Question, QuestionSet

CORPUS = Path(__file__).parent / "fixtures" / "corpus"

# file: (question blocks in the file, imported, refused)
EXPECTED = {
    "community-async-django.md": (8, 7, 1),
    "duplicate-titles.gift": (6, 6, 0),
    "half-broken.gift": (6, 2, 4),
    "moodle-bom-crlf.txt": (5, 4, 1),
    "moodle-every-kind.gift": (12, 12, 0),  # one of them a description
    "russian-utf16.gift": (3, 3, 0),
}


@pytest.fixture
def corpus(tmp_path) -> list[Path]:
    files = [p for p in sorted(CORPUS.iterdir()) if p.name != "russian-utf16-source.gift"]
    utf16 = tmp_path / "russian-utf16.gift"
    source = (CORPUS / "russian-utf16-source.gift").read_text(encoding="utf-8")
    utf16.write_bytes(source.replace("\n", "\r\n").encode("utf-16"))  # BOM first
    return [*files, utf16]


def test_every_corpus_file_imports_with_the_expected_counts(corpus):
    found = {
        Path(r.path).name: (len(r.parsed.blocks), r.count, r.refused_count)
        for r in check_files(corpus, partial=True)
    }
    assert found == EXPECTED


@pytest.mark.django_db
def test_the_whole_corpus_in_one_partial_import(corpus, capsys):
    call_command("import_questions", "--partial", *map(str, corpus))
    out = capsys.readouterr()
    assert out.out.splitlines()[-1] == "34 imported, 6 refused, 0 skipped"
    assert Question.objects.count() == 34
    assert "warning: the id 'question' is also on line 4" in out.err


@pytest.mark.django_db
def test_what_the_corpus_files_hold(corpus):
    call_command("import_questions", "--partial", *map(str, corpus))
    community = QuestionSet.objects.get(slug="community-async-django")
    assert community.title == "Async Django"  # from `## ` when there is no `# `
    versions = {
        q.stable_id: q.current_version
        for q in community.questions.select_related("current_version")
    }
    assert sorted(versions) == ["q1", "q2", "q3", "q4", "q5", "q6", "q8"]  # Q<n> is the id
    assert versions["q1"].explanation.startswith("**Explanation:** uvicorn is an ASGI server")
    assert "[Reference](https://docs.djangoproject.com" in versions["q1"].explanation
    assert "await asyncio.sleep(1)" in versions["q2"].explanation
    code_options = [o.text for o in versions["q3"].options.all()]
    assert code_options[1].startswith("B\n```python\nasync for book in Book.objects.all():")
    assert "References:" in versions["q3"].explanation
    assert [o.text for o in versions["q4"].options.all()] == ["-d", "-D"]  # compared exactly
    spanish = QuestionSet.objects.get(slug="asincronia")
    assert spanish.title == "Asincronía"
    assert spanish.source_path.endswith(".txt")
    server = spanish.questions.get(stable_id="servidor-asgi").current_version
    assert [o.weight for o in server.options.all()] == [100.0, 100.0, 50.0]
    russian = QuestionSet.objects.exclude(pk__in=[community.pk, spanish.pk]).get(
        title="Асинхронность"
    )
    assert russian.slug.startswith("set-")
    # Cyrillic titles give no ASCII: a short hash of the title, never an empty id.
    ids = sorted(q.stable_id for q in russian.questions.all())
    assert ids[-1] == "time-sleep-1-async" and all(i.startswith("q-") for i in ids[:2])
