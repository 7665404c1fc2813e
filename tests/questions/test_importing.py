"""Question-by-question imports (--partial), encodings, and what the command lists."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.formats.base import ParseError
from questions.importing import check_text, decode, parse_text
from questions.models import Question, QuestionSet

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
HALF_BROKEN = CORPUS / "half-broken.gift"


def run(*args) -> tuple[list[str], list[str]]:
    out, err = StringIO(), StringIO()
    call_command("import_questions", *map(str, args), stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


@pytest.mark.django_db
def test_partial_imports_the_good_questions_and_lists_every_other_one():
    out, err = run("--partial", HALF_BROKEN)
    assert out[-1] == "2 imported, 4 refused, 0 skipped"
    lines = {line.split(": ", 1)[0].rsplit(":", 1)[1] for line in err}
    # Each refused question named by the line of its problem (Cloze on its own line).
    assert lines == {"8", "13", "15", "19"}
    assert all(line.startswith(f"{HALF_BROKEN}:") for line in err)
    stored = QuestionSet.objects.get(slug="half-broken")
    assert sorted(
        Question.objects.filter(question_set=stored).values_list("stable_id", flat=True)
    ) == [
        "one-loop",
        "workers",
    ]


@pytest.mark.django_db
def test_skip_unsupported_lists_what_it_skipped():
    out, err = run("--partial", "--skip-unsupported", HALF_BROKEN)
    assert out[-1] == "2 imported, 3 refused, 1 skipped"
    assert any(line.startswith(f"{HALF_BROKEN}:19: skipped: Cloze") for line in err)


@pytest.mark.django_db
def test_without_partial_the_same_file_imports_nothing():
    with pytest.raises(CommandError, match="nothing was imported"):
        run(HALF_BROKEN)
    assert not QuestionSet.objects.exists()


@pytest.mark.django_db
def test_partial_fails_when_nothing_can_be_imported(tmp_path):
    path = tmp_path / "all-bad.gift"
    path.write_text("::A:: x {MAYBE}\n\n::B:: y {=a\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No question could be imported"):
        run("--partial", path)
    assert not QuestionSet.objects.exists()


@pytest.mark.django_db
def test_a_problem_in_the_set_itself_refuses_the_whole_file_even_when_partial(tmp_path):
    path = tmp_path / "bad-set.md"
    path.write_text(
        "---\nslug: ok\ntitle: T\ndifficulty: hard\n---\n\n## Q\n\n- [x] a\n- [ ] b\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        run("--partial", path)
    assert not QuestionSet.objects.exists()


def test_partial_check_keeps_the_good_questions_of_a_markdown_file():
    text = (
        "---\nslug: mixed\ntitle: Mixed\n---\n\n"
        "## Good {#good}\n\n- [x] a\n- [ ] b\n\n"
        "## No answer {#bad}\n\n- [ ] a\n- [ ] b\n\n"
        "## Also good {#also}\n\n- [x] c\n- [ ] d\n"
    )
    checked = check_text(text, path="mixed.md", partial=True)
    assert [q.id for q in checked.parsed.questions] == ["good", "also"]
    assert checked.refused_count == 1
    assert [p.line for p in checked.refused] == [11]
    with pytest.raises(ParseError):
        parse_text(text, path="mixed.md")


def test_decode_boms_utf16_and_the_line_of_a_bad_byte():
    text = "$CATEGORY: café\n\n::Q:: ok? {T}\n"
    assert decode(b"\xef\xbb\xbf" + text.encode(), path="a.gift") == text
    assert decode(text.encode("utf-16"), path="a.gift") == text  # BOM first
    assert decode(b"\xfe\xff" + text.encode("utf-16-be"), path="a.gift") == text
    with pytest.raises(ParseError) as caught:
        decode(b"line one\nline two\nbad \xff here\n", path="a.gift")
    assert str(caught.value) == "a.gift:3: not UTF-8 text (invalid start byte)"
