"""What a re-upload changes, in words an instructor can check before confirming: the set's
fields old and new, and a line diff of each changed question in the file's own Markdown."""

from __future__ import annotations

import difflib

from questions.formats.base import ParsedQuestion, ParsedSet
from questions.formats.markdown import export_markdown
from questions.models import QuestionSet
from questions.selectors import questionset_to_parsed
from questions.set_import import SET_FIELDS, ImportReport

DIFFS_SHOWN = 50  # like a page of questions: a huge re-upload lists the rest by id


def question_text(question: ParsedQuestion) -> list[str]:
    """One question as our Markdown writes it, without the set's front matter."""
    text = export_markdown(ParsedSet(slug="x", title="x", questions=[question]))
    return text.split("---\n", 2)[2].strip("\n").splitlines()


def line_diff(old: list[str], new: list[str]) -> list[dict]:
    """Unified diff lines, each tagged for the template (which escapes the text)."""
    rows = []
    for line in list(difflib.unified_diff(old, new, lineterm="", n=2))[2:]:
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        rows.append({"kind": kind, "text": line if kind == "hunk" else line[1:]})
    return rows


def upload_diff(*, parsed: ParsedSet, report: ImportReport) -> dict:
    if report.new_set:
        return {}
    question_set = QuestionSet.objects.get(slug=parsed.slug)
    old = questionset_to_parsed(question_set=question_set)
    fields = [
        {"name": name, "old": getattr(old, name), "new": getattr(parsed, name)}
        for name in SET_FIELDS
        if getattr(old, name) != getattr(parsed, name)
    ]
    old_ids = [q.id for q in old.questions]
    kept = [q.id for q in parsed.questions if q.id in old_ids]
    moved = kept != [sid for sid in old_ids if sid in kept]
    old_by_id = {q.id: q for q in old.questions}
    new_by_id = {q.id: q for q in parsed.questions}
    diffs = []
    for sid in report.changed[:DIFFS_SHOWN]:
        before = old_by_id.get(sid)  # None: a retired question comes back
        after = new_by_id[sid]
        diffs.append(
            {
                "id": sid,
                "title": after.title,
                "returns": before is None,
                "lines": line_diff(question_text(before) if before else [], question_text(after)),
            }
        )
    return {
        "fields": fields,
        "moved": moved,
        "diffs": diffs,
        "diffs_left_out": max(0, len(report.changed) - DIFFS_SHOWN),
    }
