"""Carry an anonymous learner's quiz progress into the account they log in to."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from questions.review.services import deck_claim
from questions.services import attempts_claim
from questions.views import OWNER_KEY
from quizsite.interview.services import interviews_claim


@receiver(user_logged_in, dispatch_uid="quiz-claim-anonymous-attempts")
def claim_attempts(sender, request, user, **kwargs) -> None:
    # login() keeps the session's data while it changes the session key, so the owner
    # token of the anonymous attempts is still here.
    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(OWNER_KEY, "")
    attempts_claim(token=token, user_id=user.pk)
    deck_claim(token=token, user_id=user.pk)
    interviews_claim(token=token, user_id=user.pk)
