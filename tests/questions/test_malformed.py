"""The importer refuses every malformed file with the right file, line and message, and
writes nothing: each file alone, and all of them in one run beside a good file."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.models import Option, Question, QuestionSet, QuestionVersion

MALFORMED = Path(__file__).parent / "fixtures" / "malformed"
GOOD = Path(__file__).parent / "fixtures" / "sets" / "sync-basics.md"
FILES = sorted(
    p for p in [*MALFORMED.glob("*.md"), *MALFORMED.glob("*.gift")] if p.name != "README.md"
)


EXPECT_RE = re.compile(r"^// expect: (\d+): (.+)$")


def expected(path: Path) -> list[str] | None:
    """The exact problems, from `<name>.expected` beside the file (one `line: message`
    per line)."""
    expectation = path.with_name(path.name.rsplit(".", 1)[0] + ".expected")
    if not expectation.exists():
        return None
    return [f"{path}:{line}" for line in expectation.read_text().splitlines() if line.strip()]


def expected_in_first_line(path: Path) -> tuple[str, str] | None:
    """The GIFT corpus's convention: a first line `// expect: <line>: <part of message>`."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT_RE.match(first)
    return (f"{path}:{match.group(1)}: ", match.group(2)) if match else None


def rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (QuestionSet, Question, QuestionVersion, Option))


def run_import(*paths: Path) -> tuple[list[str], str]:
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_questions", *map(str, paths), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines(), str(info.value)


def test_the_corpus_is_big_enough():
    assert len([p for p in FILES if p.suffix == ".md"]) >= 25
    assert all(expected(p) for p in FILES if p.suffix == ".md")
    assert all(expected(p) or expected_in_first_line(p) for p in FILES)


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_malformed_file_is_refused_with_its_problems(path):
    lines, summary = run_import(path)
    want = expected(path)
    if want is not None:
        assert lines == want
    else:
        prefix, message = expected_in_first_line(path)
        assert any(line.startswith(prefix) and message in line for line in lines), lines
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "nothing was imported" in summary
    assert rows() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_one_bad_file_among_good_ones_imports_nothing_and_reports_every_file():
    lines, _ = run_import(GOOD, *FILES)
    want = [line for p in FILES for line in (expected(p) or [])]
    assert set(want) <= set(lines)
    # Problems from many files, not only the first one.
    assert len({line.split(":", 1)[0] for line in lines}) == len(FILES)
    assert rows() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    # Made here, not stored: the linters refuse to read a non-UTF-8 file in the tree.
    path = tmp_path / "latin1.md"
    path.write_bytes("---\nslug: broken\ntitle: Café\n---\n".encode("latin-1"))
    lines, _ = run_import(path)
    # The line of the bad byte, not line 1.
    assert lines == [f"{path}:3: not UTF-8 text (invalid continuation byte)"]
    assert rows() == (0, 0, 0, 0)
