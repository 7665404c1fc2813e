"""A second instructor and the first one's sets, through every /teach/ URL the URLconf
lists: they may use a published set (its page, export, their own assignments) but never
change, retire, unpublish it, see its reports, its drafts, or the first one's results."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from questions.models import Attempt, Question, QuestionSet
from questions.teach import urls as teach_urls
from questions.teach.models import Assignment, AssignmentAttempt, PendingUpload, ProblemReport
from questions.teach.permissions import questionset_can_edit
from tests.questions.factories import make_set, parsed_set
from tests.questions.teach.conftest import make_user

pytestmark = pytest.mark.django_db

# What the second instructor gets at each URL, for the first one's published set "demo"
# and draft "hidden". A new /teach/ URL fails test_every_url_is_classified until it is
# given its row here.
EXPECTED = {
    "dashboard": 200,
    "upload": 200,
    "upload-preview": 404,  # the first one's pending upload
    "upload-confirm": 404,
    "set": 200,
    "set-export": 200,
    "set-publish": 403,
    "assign": 200,
    "set-analysis": 200,
    "set-analysis-csv": 200,
    "assignment": 403,
    "assignment-csv": 403,
    "assignment-analysis": 403,
    "assignment-analysis-csv": 403,
    "report-resolve": 403,
    "set-archive": 403,
    "set-delete": 403,
    "question-edit": 403,
    "assignment-edit": 403,
    "assignment-close": 403,
    "assignment-duplicate": 403,
    "assignment-delete": 403,
    "assignment-learner": 403,
    "assignment-more-time": 403,
}
POSTS = {
    "upload-confirm",
    "set-publish",
    "report-resolve",
    "set-archive",
    "assignment-close",
    "assignment-duplicate",
    "assignment-more-time",
}


@pytest.fixture
def world():
    ada = make_user("ada", instructor=True)
    eve = make_user("eve", instructor=True)
    demo = make_set("demo", n=2, owner=ada)
    hidden = make_set("hidden", n=1, owner=ada)
    hidden.published = False
    hidden.save()
    question = Question.objects.filter(question_set=demo).first()
    assignment = Assignment.objects.create(question_set=demo, owner=ada)
    # One finished attempt through ada's assignment: her private results.
    attempt = Attempt.objects.create(
        question_set=demo,
        owner_token="learner",
        seed=1,
        version_ids=list(demo.questions.values_list("current_version_id", flat=True)),
        finished_at=timezone.now(),
        score=1.0,
    )
    AssignmentAttempt.objects.create(assignment=assignment, attempt=attempt, display_name="Zed")
    report = ProblemReport.objects.create(
        question=question, version=question.current_version, text="secret typo report"
    )
    pending = PendingUpload.objects.create(
        token="adas-token", owner=ada, filename="x.md", text="", sha256="0"
    )
    return {
        "ada": ada,
        "eve": eve,
        "demo": demo,
        "hidden": hidden,
        "assignment": assignment,
        "attempt": attempt,
        "report": report,
        "pending": pending,
    }


def url_for(name: str, world, slug: str) -> str:
    pattern = next(p for p in teach_urls.urlpatterns if p.name == name)
    values = {
        "slug": slug,
        "fmt": "md",
        "token": world["pending"].token,
        "pk": world["report"].pk if name.startswith("report") else world["assignment"].pk,
        "stable_id": "q0",
        "attempt_pk": world["attempt"].pk,
    }
    keys = [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", str(pattern.pattern))]
    return reverse(f"teach:{name}", kwargs={key: values[key] for key in keys})


def unchanged(world) -> None:
    demo = QuestionSet.objects.get(slug="demo")
    assert demo.published and demo.owner == world["ada"]
    assert not Question.objects.filter(question_set=demo, retired=True).exists()
    assert ProblemReport.objects.get().resolved_at is None
    assert PendingUpload.objects.filter(token="adas-token").exists()


def test_every_url_is_classified():
    assert {p.name for p in teach_urls.urlpatterns} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_second_instructor_at_every_teach_url(client, world, name):
    client.force_login(world["eve"])
    url = url_for(name, world, "demo")
    response = client.post(url, {"published": "0"}) if name in POSTS else client.get(url)
    assert response.status_code == EXPECTED[name], (name, response.status_code)
    body = response.content.decode()
    assert "secret typo report" not in body
    assert "Zed" not in body  # the name in ada's results
    if response.status_code in (403, 404):
        assert re.search(r"owner|instructor who made|No such|gone", body), body[:500]
    if name == "set":
        assert "/teach/sets/demo/publish/" not in body
        assert "Another instructor's set" in body
    if name == "dashboard":
        assert "/teach/sets/hidden/" not in body
    if name in ("set-analysis", "set-analysis-csv"):
        # ada's assignment attempt is not in eve's numbers.
        if name == "set-analysis":
            assert "<dd data-attempts>0</dd>" in body
            assert "your own assignments" in body
        else:
            rows = list(csv.DictReader(io.StringIO(body)))
            assert rows and {row["attempts"] for row in rows} == {"0"}
    unchanged(world)


@pytest.mark.parametrize("name", ["set", "set-export", "set-publish", "assign", "set-analysis"])
def test_second_instructor_cannot_see_the_first_ones_draft(client, world, name):
    client.force_login(world["eve"])
    url = url_for(name, world, "hidden")
    response = client.post(url, {"published": "1"}) if name in POSTS else client.get(url)
    assert response.status_code == 404
    assert "No such question set." in response.content.decode()
    assert not QuestionSet.objects.get(slug="hidden").published


def test_second_instructor_cannot_upload_over_the_first_ones_set(client, world):
    client.force_login(world["eve"])
    from questions.formats.markdown import export_markdown

    parsed = parsed_set("demo", 1, ("single",))  # drops a question: it would retire one
    text = export_markdown(parsed).encode()
    response = client.post("/teach/upload/", {"file": SimpleUploadedFile("demo.md", text)})
    preview = client.get(response["Location"])
    assert "another instructor" in preview.content.decode()
    assert "/confirm/" not in preview.content.decode()
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    confirm = client.post(f"/teach/upload/{token}/confirm/")
    assert confirm.status_code == 403
    assert "another instructor" in confirm.content.decode()
    unchanged(world)


def test_owner_editors_and_staff_may_edit_others_may_not(world):
    demo, ada, eve = world["demo"], world["ada"], world["eve"]
    staff = make_user("root", staff=True)
    assert questionset_can_edit(user=ada, question_set=demo)
    assert questionset_can_edit(user=staff, question_set=demo)
    assert not questionset_can_edit(user=eve, question_set=demo)
    demo.editors.add(eve)
    assert questionset_can_edit(user=eve, question_set=demo)
    site_set = make_set("site", n=1)  # no owner: the site's own content
    assert not questionset_can_edit(user=ada, question_set=site_set)
    assert questionset_can_edit(user=staff, question_set=site_set)


def test_an_upload_makes_the_uploader_the_owner(client, world):
    from questions.formats.markdown import export_markdown

    client.force_login(world["eve"])
    text = export_markdown(parsed_set("eves-set", 2, ("single",))).encode()
    response = client.post("/teach/upload/", {"file": SimpleUploadedFile("e.md", text)})
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/teach/upload/{token}/confirm/").status_code == 302
    assert QuestionSet.objects.get(slug="eves-set").owner == world["eve"]


def test_staff_uploading_over_the_sites_set_marks_it_edited_for_load_content(client, world):
    from questions.formats.markdown import export_markdown

    make_set("site", n=2)
    client.force_login(make_user("root", staff=True))
    text = export_markdown(parsed_set("site", 3, ("single",))).encode()
    response = client.post("/teach/upload/", {"file": SimpleUploadedFile("s.md", text)})
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/teach/upload/{token}/confirm/").status_code == 302
    site = QuestionSet.objects.get(slug="site")
    assert site.edited_on_site and site.owner is None  # still the site's


def test_staff_editing_the_sites_set_in_the_admin_marks_it_edited(rf, world):
    from django.contrib import admin

    site = make_set("site", n=1)
    request = rf.post("/admin/")
    request.user = make_user("root", staff=True)
    site.title = "Renamed by staff"
    admin.site._registry[QuestionSet].save_model(request, site, form=None, change=True)
    site.refresh_from_db()
    assert site.title == "Renamed by staff" and site.edited_on_site
    # An instructor's own set is not the site's: load_content never touches it anyway.
    world["demo"].title = "Ada's"
    admin.site._registry[QuestionSet].save_model(request, world["demo"], form=None, change=True)
    world["demo"].refresh_from_db()
    assert not world["demo"].edited_on_site
