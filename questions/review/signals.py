"""Every recorded answer reschedules its card. A post_save receiver keeps the quiz engine
(questions.services.attempt_answer) unaware of the deck: the reusable app records answers,
this sub-app listens."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from questions.models import Response

from .services import card_record


@receiver(post_save, sender=Response, dispatch_uid="review-card-per-answer")
def reschedule_card(sender, instance: Response, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        card_record(response=instance)
