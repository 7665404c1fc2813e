"""Resolve what every template needs about the user, before the view, on the async path.

AuthenticationMiddleware makes request.user a lazy object that queries the database on
first use, synchronously. An async view that renders a template touching `user` (the
nav's "Log in / Log out") would then run that query on the event loop, which Django
refuses (SynchronousOnlyOperation). Awaiting request.auser() here does the lookup
properly, once, and leaves a plain user object behind. The same goes for the nav's
"Teaching" link: whether the user is an instructor is awaited here, left as a bool.
"""

from questions.review.nav import review_due, review_due_sync
from questions.teach.permissions import user_is_instructor, user_is_instructor_sync
from quizsite.middleware import SyncAndAsyncMiddleware


class ResolvedUserMiddleware(SyncAndAsyncMiddleware):
    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        # Under WSGI (and the test client) an async view still runs in an event loop:
        # evaluate the lazy user here, in sync code, where a query is allowed.
        request.is_instructor = user_is_instructor_sync(request.user)
        request.review_due = review_due_sync(request)
        return self.get_response(request)

    async def _acall(self, request):
        request.user = await request.auser()
        request.is_instructor = await user_is_instructor(request.user)
        request.review_due = await review_due(request)
        return await self.get_response(request)
