"""The site's request path: middleware that runs on the event loop under ASGI."""
