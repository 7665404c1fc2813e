"""Reading question-set files: which files, which parser, every problem, and what a
question-by-question (partial) import keeps.

Shared by the import command and the instructors' upload preview.
"""

from __future__ import annotations

import codecs
import time
from dataclasses import dataclass, field
from pathlib import Path

from .formats.base import (
    ParsedSet,
    ParseError,
    Problem,
    control_problems,
    split_partial,
)
from .formats.gift import collect_gift
from .formats.markdown import collect_markdown
from .set_import import ImportReport, questionset_import, questionsets_import

# .txt is what Moodle itself names the GIFT files it exports.
GIFT_SUFFIXES = (".gift", ".txt")
SUFFIXES = (".md", *GIFT_SUFFIXES)
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class Checked:
    """One file read as a partial import would: what can be imported, and why not the rest."""

    path: str
    parsed: ParsedSet | None
    fatal: list[Problem] = field(default_factory=list)  # the whole file is refused
    refused: list[Problem] = field(default_factory=list)  # problems of left-out questions
    refused_count: int = 0  # questions left out for them
    skipped: list[Problem] = field(default_factory=list)  # unsupported, left out when asked
    warnings: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return sorted(self.fatal + self.refused)

    @property
    def count(self) -> int:
        return 0 if self.parsed is None or self.fatal else len(self.parsed.questions)


def decode(data: bytes, *, path: str) -> str:
    """The file's text: UTF-8 (a BOM dropped) or UTF-16 by its BOM; ParseError naming
    the line of the first byte that is not."""
    encoding = next((name for bom, name in BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        name = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise ParseError([Problem(path, line, f"not {name} text ({exc.reason})")]) from None


def check_text(
    text: str, *, path: str, skip_unsupported: bool = False, partial: bool = False
) -> Checked:
    """Parse one file's text by its extension. With `partial`, questions with problems
    are left out (and listed) instead of refusing the whole file."""
    text = text.lstrip("\ufeff")
    if path.endswith(GIFT_SUFFIXES):
        parsed, problems, unsupported = collect_gift(text, path=path)
    elif path.endswith(".md"):
        (parsed, problems), unsupported = collect_markdown(text, path=path), []
    else:
        problem = Problem(path, 1, "unknown file type: question sets are .md, .gift or .txt")
        return Checked(path, None, fatal=[problem])
    problems = problems + control_problems(text, path=path)
    checked = Checked(path, parsed, warnings=list(parsed.warnings))
    if skip_unsupported:
        checked.skipped = unsupported
    else:
        problems += unsupported
    if not partial:
        checked.fatal = sorted(problems)
        return checked
    checked.parsed, checked.fatal, checked.refused, checked.refused_count = split_partial(
        parsed, problems
    )
    return checked


def parse_text(text: str, *, path: str, skip_unsupported: bool = False) -> ParsedSet:
    """Parse one file's text by its extension; raise ParseError."""
    checked = check_text(text, path=path, skip_unsupported=skip_unsupported)
    if checked.fatal:
        raise ParseError(checked.fatal)
    return checked.parsed


def collect_files(paths: list[str]) -> list[Path]:
    """Files named, plus every question-set file in the folders named (READMEs aside)."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.iterdir())
                if p.suffix in SUFFIXES and p.name.lower() != "readme.md" and p.is_file()
            )
        else:
            files.append(path)
    return files


def check_files(
    files: list[Path], *, skip_unsupported: bool = False, partial: bool = False
) -> list[Checked]:
    results: list[Checked] = []
    slugs: dict[str, str] = {}
    for path in files:
        name = str(path)
        try:
            text = decode(path.read_bytes(), path=name)
        except FileNotFoundError:
            results.append(Checked(name, None, fatal=[Problem(name, 0, "no such file")]))
            continue
        except ParseError as exc:
            results.append(Checked(name, None, fatal=exc.problems))
            continue
        checked = check_text(text, path=name, skip_unsupported=skip_unsupported, partial=partial)
        if checked.parsed is not None and not checked.fatal:
            slug = checked.parsed.slug
            if slug in slugs:
                line = checked.parsed.lines.get("slug", 1)
                checked.fatal.append(
                    Problem(name, line, f"slug {slug!r} is also used by {slugs[slug]}")
                )
            slugs.setdefault(slug, name)
        results.append(checked)
    return results


def parse_files(files: list[Path], *, skip_unsupported: bool = False):
    """Parse them all; return (parsed sets, every problem in every file)."""
    results = check_files(files, skip_unsupported=skip_unsupported)
    parsed = [r.parsed for r in results if r.parsed is not None and not r.problems]
    return parsed, [p for r in results for p in r.problems]


@dataclass
class Outcome:
    reports: list[ImportReport]
    results: list[Checked]
    # (wall, CPU) seconds: reading and parsing, then the one write transaction.
    parse_seconds: tuple[float, float] = (0.0, 0.0)
    write_seconds: tuple[float, float] = (0.0, 0.0)

    @property
    def imported(self) -> int:
        return sum(r.count for r in self.results)

    @property
    def refused(self) -> int:
        # A refused file counts as one refusal per question block it had, at least one.
        return sum(
            (max(len(r.parsed.blocks), 1) if r.parsed else 1) if r.fatal else r.refused_count
            for r in self.results
        )

    @property
    def skipped(self) -> int:
        return sum(len(r.skipped) for r in self.results)

    def __str__(self) -> str:
        return f"{self.imported} imported, {self.refused} refused, {self.skipped} skipped"


def import_files(
    files: list[Path],
    *,
    dry_run: bool = False,
    skip_unsupported: bool = False,
    partial: bool = False,
) -> Outcome:
    """Without `partial`, all or nothing: any problem in any file raises ParseError and
    writes nothing, and a failure while writing leaves the database as it was. With it, every question that parses is imported and the rest listed
    in the outcome (a file whose set itself is broken is left out whole)."""
    began = time.perf_counter(), time.process_time()
    results = check_files(files, skip_unsupported=skip_unsupported, partial=partial)
    parsed_at = time.perf_counter(), time.process_time()
    problems = [p for r in results for p in r.problems]
    if problems and not partial:
        raise ParseError(problems)
    good = [r.parsed for r in results if r.count]
    # A partial import retires nothing: a question left out for a problem keeps the
    # version learners have now.
    options = {"retire": not partial}
    if dry_run:
        reports = [questionset_import(parsed=p, dry_run=True, **options) for p in good]
    else:
        # Staged in short transactions, switched in one: see set_import.py.
        reports = questionsets_import(sets=good, **options)
    done = time.perf_counter(), time.process_time()
    return Outcome(
        reports,
        results,
        parse_seconds=(parsed_at[0] - began[0], parsed_at[1] - began[1]),
        write_seconds=(done[0] - parsed_at[0], done[1] - parsed_at[1]),
    )
