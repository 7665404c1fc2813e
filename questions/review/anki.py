"""An Anki deck (.apkg) of questions, through the maintained `genanki` package. Only
questions the learner has already answered go in (their mistakes, or a set they have
finished): the back of a card is the answer key."""

from __future__ import annotations

import hashlib
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import genanki
from django.utils.html import escape

from questions.formats.base import ORDER, SHORT
from questions.presenters import markdown

# Fixed ids: re-importing an updated deck updates the notes instead of duplicating them.
MODEL_ID = 1_607_392_319
MODEL = genanki.Model(
    MODEL_ID,
    "Concurrency, really: question",
    fields=[{"name": "Key"}, {"name": "Question"}, {"name": "Answer"}],
    templates=[
        {
            "name": "Card",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
        }
    ],
    sort_field_index=1,
)


def _stable_id(text: str) -> int:
    # Anki ids are 63-bit; a hash keeps the same deck name on the same id.
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)


def _front(version) -> str:
    parts = [f"<h3>{escape(version.title)}</h3>"]
    if version.prompt != version.title:
        parts.append(str(markdown(version.prompt)))
    if version.kind not in (SHORT, ORDER):
        items = "".join(f"<li>{markdown(o.text)}</li>" for o in version.options.all())
        parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


def _back(version) -> str:
    options = list(version.options.all())
    if version.kind == ORDER:
        items = "".join(f"<li>{markdown(o.text)}</li>" for o in options)
        answer = f"<p>The right order:</p><ol>{items}</ol>"
    else:
        items = "".join(f"<li>{markdown(o.text)}</li>" for o in options if o.correct)
        answer = f"<p>Right:</p><ul>{items}</ul>"
    return answer + str(markdown(version.explanation))


def deck_apkg(*, name: str, versions) -> bytes:
    """`versions` with their options prefetched."""
    deck = genanki.Deck(_stable_id(name), name)
    for version in versions:
        key = f"{version.question.question_set.slug}#{version.question.stable_id}"
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[escape(key), _front(version), _back(version)],
                guid=genanki.guid_for(key),
            )
        )
    return _package(genanki.Package(deck))


def _package(package: genanki.Package) -> bytes:
    """Package.write_to_file's steps, but its temporary database is removed afterwards
    (genanki 0.13 leaves one file in /tmp per export)."""
    out = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(path)
        timestamp = time.time()
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        connection.close()
        with zipfile.ZipFile(out, "w") as archive:
            archive.write(path, "collection.anki2")
            archive.writestr("media", "{}")
    return out.getvalue()
