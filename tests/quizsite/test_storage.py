"""Static URLs (quizsite.storage): the hashed URL from the manifest, worked out once."""

import json

import pytest
from servestatic.storage import CompressedManifestStaticFilesStorage

from quizsite.storage import StaticFilesStorage

MANIFEST = {"version": "1.1", "hash": "h", "paths": {"css/site.css": "css/site.0123abcd.css"}}


@pytest.fixture
def storages(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(json.dumps(MANIFEST))
    kept = StaticFilesStorage(location=tmp_path, base_url="/static/")
    plain = CompressedManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    return kept, plain


def test_the_url_is_the_manifest_s_and_is_kept(storages, monkeypatch):
    kept, plain = storages
    assert kept.url("css/site.css") == plain.url("css/site.css") == "/static/css/site.0123abcd.css"
    # Kept: the manifest is not consulted again for that name.
    monkeypatch.setattr(kept, "stored_name", lambda name: pytest.fail("looked up again"))
    assert kept.url("css/site.css") == "/static/css/site.0123abcd.css"


def test_a_name_the_manifest_lacks_raises_every_time(storages):
    kept, _ = storages
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            kept.url("css/missing.css")
