"""Resolve what every template needs about the user, before the view, on the async path.

AuthenticationMiddleware makes request.user a lazy object that queries the database on
first use, synchronously. An async view that renders a template touching `user` (the
nav's "Log in / Log out") would then run that query on the event loop, which Django
refuses (SynchronousOnlyOperation). Awaiting request.auser() here does the lookup
properly, once, and leaves a plain user object behind. The same goes for the nav's
"Teaching" link: whether the user is an instructor is awaited here, left as a bool.
"""

from questions.review import nav
from questions.teach.permissions import user_is_instructor, user_is_instructor_sync
from quizsite.middleware import SyncAndAsyncMiddleware


class ResolvedUserMiddleware(SyncAndAsyncMiddleware):
    """The user and instructor flag before the view; the nav's review count in
    process_view, once the view is known (one that counts it itself is left to, see
    questions.review.nav)."""

    def __init__(self, get_response):
        super().__init__(get_response)
        # A coroutine under ASGI, which Django awaits without a hop; a function under WSGI.
        self.process_view = self._aprocess_view if self.is_async else self._process_view

    def __call__(self, request):
        request.review_due = request.review_owner = None
        if self.is_async:
            return self._acall(request)
        # Under WSGI (and the test client) an async view still runs in an event loop:
        # evaluate the lazy user here, in sync code, where a query is allowed.
        request.is_instructor = user_is_instructor_sync(request.user)
        return self.get_response(request)

    async def _acall(self, request):
        request.user = await request.auser()
        request.is_instructor = await user_is_instructor(request.user)
        return await self.get_response(request)

    def _process_view(self, request, view, args, kwargs):
        if nav.view_counts(view):
            request.review_owner = nav.review_owner_sync(request)
        else:
            request.review_due = nav.review_due_sync(request)

    async def _aprocess_view(self, request, view, args, kwargs):
        if nav.view_counts(view):
            request.review_owner = await nav.review_owner(request)
        else:
            request.review_due = await nav.review_due(request)
