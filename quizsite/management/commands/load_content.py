from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from questions.importing import collect_files, parse_files
from questions.models import QuestionSet
from quizsite.explainers.loader import ExplainerError
from quizsite.explainers.selectors import library_load

CONTENT_DIR = settings.BASE_DIR / "content"


class Command(BaseCommand):
    help = (
        "Load the content shipped in content/ into the database. Safe to run again. A set "
        "changed through the site since (an upload by staff) is left alone and named."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace sets changed through the site with content/'s version too",
        )

    def handle(self, *args, overwrite=False, **options):
        # Explainers are read from their files on demand; loading them here makes a bad
        # one fail `make run` with its file:line problems instead of a 500 on /learn/.
        try:
            library = library_load()
        except ExplainerError as exc:
            raise CommandError(f"content/explainers has problems:\n{exc}") from exc
        self.stdout.write(f"{len(library.explainers)} explainers are valid.")
        files = collect_files([str(CONTENT_DIR / "question-sets")])
        # Parsed once here to learn each file's slug; problems are reported by the import.
        parsed, _ = parse_files(files)
        slugs = {p.path: p.slug for p in parsed}
        edited = set(
            QuestionSet.objects.filter(slug__in=slugs.values(), edited_on_site=True).values_list(
                "slug", flat=True
            )
        )
        # `make run` runs this every time: it must not undo an edit made on the site.
        keep = [f for f in files if slugs.get(str(f)) not in edited or overwrite]
        for slug in sorted(edited):
            if overwrite:
                self.stdout.write(f"{slug}: overwriting the changes made on the site")
            else:
                self.stdout.write(
                    f"{slug}: left alone: changed on the site since content/ was loaded "
                    "(load_content --overwrite replaces it with the file)"
                )
        if keep:
            call_command("import_questions", *map(str, keep), stdout=self.stdout)
        if overwrite:
            QuestionSet.objects.filter(slug__in=edited).update(edited_on_site=False)
