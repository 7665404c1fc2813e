"""Every /teach/ URL, taken from the URLconf itself (a new URL cannot escape), for an
anonymous visitor, a learner, an instructor and a member of staff."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from questions.models import Question
from questions.services import Owner
from questions.teach import urls as teach_urls
from questions.teach.models import Assignment, PendingUpload, ProblemReport
from questions.teach.services import assignment_join
from tests.questions.factories import make_set
from tests.questions.teach.conftest import make_user

pytestmark = pytest.mark.django_db

NAMES = [pattern.name for pattern in teach_urls.urlpatterns]
POST_ONLY = {
    "upload-confirm",
    "set-publish",
    "report-resolve",
    "assignment-close",
    "assignment-duplicate",
    "assignment-more-time",
    "set-archive",
}
POST_DATA = {"assignment-more-time": {"minutes": "5"}, "set-publish": {"published": "1"}}
ROLES = ("anonymous", "learner", "instructor", "staff")


def url_for(name: str, user, world: dict) -> str:
    assignment, report = world["assignment"], world["report"]
    pattern = next(p for p in teach_urls.urlpatterns if p.name == name)
    kwargs = {}
    for key in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", str(pattern.pattern)):
        key = key[0] or key[1]
        if key == "slug":
            kwargs[key] = "demo"
        elif key == "fmt":
            kwargs[key] = "md"
        elif key == "pk":
            kwargs[key] = report.pk if name.startswith("report") else assignment.pk
        elif key == "token":
            kwargs[key] = pending_token(user)
        elif key == "stable_id":
            kwargs[key] = "q0"
        elif key == "attempt_pk":
            kwargs[key] = world["attempt"].pk
        else:  # pragma: no cover - a new kind of parameter needs a value here
            pytest.fail(f"{name}: no test value for the URL parameter {key!r}")
    return reverse(f"teach:{name}", kwargs=kwargs)


def pending_token(user) -> str:
    owner = user if user is not None and user.is_authenticated else make_user("uploader")
    return PendingUpload.objects.create(
        token=f"token-{owner.pk}", owner=owner, filename="x.md", text="", sha256="0"
    ).token


@pytest.fixture
def world():
    instructor = make_user("ada", instructor=True)
    question_set = make_set(n=2, owner=instructor)
    question = Question.objects.filter(question_set=question_set).first()
    assignment = Assignment.objects.create(question_set=question_set, owner=instructor)
    attempt = assignment_join(
        assignment=assignment, owner=Owner(None, "learner-token"), display_name="Lee"
    )
    return {
        "assignment": assignment,
        "attempt": attempt,
        "report": ProblemReport.objects.create(
            question=question, version=question.current_version, text="typo"
        ),
        "users": {
            "anonymous": None,
            "learner": make_user("bob"),
            "instructor": instructor,
            "staff": make_user("root", staff=True),
        },
    }


def test_every_teach_url_is_named_and_covered():
    assert len(NAMES) == len(set(NAMES)) and None not in NAMES
    assert POST_ONLY <= set(NAMES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", NAMES)
def test_teach_urls_by_role(client, world, name, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = url_for(name, user, world)
    if name in POST_ONLY:
        assert client.get(url).status_code == 405
        response = client.post(url, POST_DATA.get(name, {}))
    else:
        response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif role == "learner":
        assert response.status_code == 403
        assert "The teaching tools are for instructors" in response.content.decode()
    else:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith("/accounts/login/")
        elif response["Content-Type"].startswith("text/html"):
            # The CSP refuses inline styles and scripts without the nonce.
            html = response.content.decode()
            assert " style=" not in html
            assert len(re.findall(r"<script\b", html)) == html.count('<script src="')


def test_inactive_staff_are_not_instructors(client, world):
    staff = world["users"]["staff"]
    staff.is_active = False
    staff.save()
    client.force_login(staff)
    assert client.get("/teach/").status_code == 302  # an inactive user is logged out


def test_uploads_by_a_learner_are_refused_before_anything_is_stored(client, world):
    client.force_login(world["users"]["learner"])
    response = client.post("/teach/upload/", {"file": SimpleUploadedFile("a.md", b"x")})
    assert response.status_code == 403
    assert not PendingUpload.objects.exists()
