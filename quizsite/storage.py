"""Static files: servestatic's hashed, compressed storage, with each URL worked out once.

`{% static %}` asks the storage for a file's URL on every render; the manifest storage
then looks the name up, hashes the path and joins it to STATIC_URL, about 32 µs a call
here, five calls on every page. The manifest is read when the process starts and does
not change while it runs, so a name's URL does not either: it is kept after the first
call. A name the manifest lacks raises, as before, and nothing is kept for it.
"""

from __future__ import annotations

from servestatic.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
