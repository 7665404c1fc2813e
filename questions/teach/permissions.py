"""Who may use /teach/: staff, and members of the "Instructors" group. Anonymous people
are sent to log in; a logged-in learner is told plainly that this is for instructors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from asgiref.sync import sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .selectors import assignment_get

INSTRUCTORS = "Instructors"


def _instructor_answer(user):
    """True or False when the user alone decides; otherwise the query whose existence does."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return user.groups.filter(name=INSTRUCTORS)


async def user_is_instructor(user) -> bool:
    answer = _instructor_answer(user)
    return answer if isinstance(answer, bool) else await answer.aexists()


def user_is_instructor_sync(user) -> bool:
    """The same answer for sync code (WSGI), without starting an event loop for it."""
    answer = _instructor_answer(user)
    return answer if isinstance(answer, bool) else answer.exists()


def _edit_answer(user, question_set):
    """Like _instructor_answer: a bool, or the query whose existence decides."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    if question_set.owner_id is None:  # the site's own content: staff only
        return False
    if question_set.owner_id == user.pk:
        return True
    return question_set.editors.filter(pk=user.pk)


def questionset_can_edit(*, user, question_set) -> bool:
    """May this user change the set: upload over it, publish or unpublish it, retire its
    questions, resolve its reports, see its reports? Its owner, its editors and staff."""
    answer = _edit_answer(user, question_set)
    return answer if isinstance(answer, bool) else answer.exists()


async def questionset_can_edit_async(*, user, question_set) -> bool:
    answer = _edit_answer(user, question_set)
    return answer if isinstance(answer, bool) else await answer.aexists()


def questionset_can_view(*, user, question_set, can_edit: bool) -> bool:
    """Any instructor may use a published set (its page, export, assignments); a draft
    is its editors' until they publish it."""
    return question_set.published or can_edit


def may_see_assignment(user, assignment) -> bool:
    """Results of an assignment belong to its instructor, and to staff."""
    return user.is_staff or assignment.owner_id == user.pk


def assignment_owner_required(
    view: Callable[..., Awaitable[HttpResponse]],
) -> Callable[..., Awaitable[HttpResponse]]:
    """Turn the URL's pk into the assignment, for its instructor and staff only."""

    @wraps(view)
    async def wrapper(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        assignment = await sync_to_async(assignment_get)(pk=pk)
        if assignment is None:
            raise Http404("No such assignment.")
        if not may_see_assignment(await request.auser(), assignment):
            return forbidden(
                request,
                "These results belong to the instructor who made the assignment (and to staff).",
            )
        return await view(request, assignment, **kwargs)

    return wrapper


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "teach/forbidden.html", {"message": message}, status=403)


def instructor_required(
    view: Callable[..., Awaitable[HttpResponse]],
) -> Callable[..., Awaitable[HttpResponse]]:
    @wraps(view)
    async def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = await request.auser()
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not await user_is_instructor(user):
            return forbidden(
                request,
                "The teaching tools are for instructors. Ask a member of staff to add "
                f"your account to the “{INSTRUCTORS}” group.",
            )
        response = await view(request, *args, **kwargs)
        # Every /teach/ page holds an instructor's or their learners' data: no cache,
        # shared or the browser's own, may keep a copy.
        add_never_cache_headers(response)
        return response

    return wrapper
