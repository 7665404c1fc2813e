"""Run by `manage.py shell` in a test server's database: a finished 5,000-question attempt
owned by the user `big`, every answer recorded. Prints the attempt's pk."""

from django.contrib.auth.models import User
from django.utils import timezone

from questions.models import Attempt, Option, Question, QuestionSet, QuestionVersion, Response

SIZE = 5000
user = User.objects.create_user("big", password="big-password-123")
qs = QuestionSet.objects.create(slug="big-set", title="Big set", published=True)
questions = Question.objects.bulk_create(
    Question(question_set=qs, stable_id=f"q{i}", position=i) for i in range(SIZE)
)
versions = QuestionVersion.objects.bulk_create(
    QuestionVersion(
        question=q,
        number=1,
        kind="single",
        title=f"Question {i}",
        prompt=f"Prompt {i}: which `call_{i}()` is *right*?\n\n```python\nawait call_{i}()\n```",
        explanation=f"Explanation {i} with a [link](https://example.com/{i}).",
        content_hash=str(i),
    )
    for i, q in enumerate(questions)
)
Option.objects.bulk_create(
    Option(
        version=v,
        position=p,
        text=f"Option {p} of {v.title}",
        correct=p == 1,
        feedback=f"Feedback *{p}* for {v.title}",
    )
    for v in versions
    for p in range(3)
)
now = timezone.now()
attempt = Attempt.objects.create(
    question_set=qs,
    user=user,
    seed=1,
    version_ids=[v.pk for v in versions],
    mode="exam",
    finished_at=now,
    score=0.5,
)
Response.objects.bulk_create(
    Response(
        attempt=attempt,
        question=q,
        version=v,
        answer={"choices": [i % 2]},
        correct=i % 2 == 1,
        answered_at=now,
    )
    for i, (q, v) in enumerate(zip(questions, versions, strict=True))
)
print(attempt.pk)
