"""The site's request path: middleware that runs on the event loop under ASGI."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction


class SyncAndAsyncMiddleware:
    """Base of the site's own middleware: a native coroutine under ASGI, so Django adapts
    nothing and no hook hops to a thread, and a plain function under WSGI (the lab's
    gunicorn targets), so no event loop is started per request. Subclasses define
    `__call__`, returning `self._acall(request)` when `self.is_async`."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)
