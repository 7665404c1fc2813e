from django.core.management.base import BaseCommand, CommandError

from questions.formats.base import ParseError
from questions.importing import collect_files, import_files


class Command(BaseCommand):
    help = (
        "Import question sets from .md, .gift and .txt (GIFT) files, or folders of them. "
        "All or nothing unless --partial: any problem in any file is reported as "
        "file:line: message and nothing is written. Re-importing updates sets in place by "
        "stable question ids."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="leave out (and list) GIFT questions of kinds we do not support",
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="import every question that parses and list the ones that do not",
        )

    def handle(self, *args, paths, dry_run, skip_unsupported, partial, **options):
        files = collect_files(paths)
        if not files:
            self.stdout.write("No question-set files found.")
            return
        try:
            outcome = import_files(
                files, dry_run=dry_run, skip_unsupported=skip_unsupported, partial=partial
            )
        except ParseError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        for result in outcome.results:
            for problem in result.problems:
                self.stderr.write(str(problem))
            for problem in result.skipped:
                self.stderr.write(f"{problem.path}:{problem.line}: skipped: {problem.message}")
            for problem in result.warnings:
                self.stderr.write(f"{problem.path}:{problem.line}: warning: {problem.message}")
        for report in outcome.reports:
            self.stdout.write(str(report))
        if options["verbosity"] >= 2:
            (pw, pc), (ww, wc) = outcome.parse_seconds, outcome.write_seconds
            switch = max((r.switch_seconds for r in outcome.reports), default=0.0)
            self.stdout.write(
                f"read and parsed in {pw:.2f} s ({pc:.2f} s CPU); "
                f"{'planned' if dry_run else 'written'} in {ww:.2f} s ({wc:.2f} s CPU), "
                f"of which the switch transaction took {switch:.2f} s"
            )
        verb = "would be imported" if dry_run else "imported"
        self.stdout.write(str(outcome).replace("imported", verb, 1))
        if partial and not outcome.imported:
            raise CommandError("No question could be imported.")
