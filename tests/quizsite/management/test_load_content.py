"""`load_content`, which `make run` calls: question sets imported, explainers checked."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.django_db
def test_a_bad_explainer_stops_it_with_file_and_line(settings, tmp_path):
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\n\n# Broken\n")
    settings.EXPLAINERS_DIR = tmp_path
    with pytest.raises(CommandError, match=r"broken\.md:\d+: "):
        call_command("load_content")


@pytest.mark.django_db
def test_the_shipped_content_loads_and_a_second_run_changes_nothing(capsys):
    call_command("load_content")
    call_command("load_content")
    out = capsys.readouterr().out
    assert "9 explainers are valid." in out
    assert re.search(r"^sync-vs-async: unchanged \(\d+ questions\)$", out, re.MULTILINE)


@pytest.mark.django_db
def test_a_set_changed_on_the_site_is_left_alone_and_named(capsys):
    from questions.models import QuestionSet

    call_command("load_content")
    QuestionSet.objects.filter(slug="sync-vs-async").update(
        title="Edited by staff", edited_on_site=True
    )
    call_command("load_content")
    out = capsys.readouterr().out
    assert "sync-vs-async: left alone: changed on the site" in out
    assert QuestionSet.objects.get(slug="sync-vs-async").title == "Edited by staff"
    call_command("load_content", "--overwrite")
    out = capsys.readouterr().out
    assert "sync-vs-async: overwriting the changes made on the site" in out
    question_set = QuestionSet.objects.get(slug="sync-vs-async")
    assert question_set.title != "Edited by staff" and not question_set.edited_on_site
