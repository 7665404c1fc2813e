import time

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import csrf as csrf_middleware
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
async def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def _ping_database() -> dict:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {
        "status": "ok",
        "vendor": connection.vendor,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }


@require_safe
@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    # Django has no async database driver: the ping runs in the thread that owns this
    # request's connection (thread_sensitive=True is sync_to_async's default).
    try:
        database = await sync_to_async(_ping_database)()
    except Exception as exc:  # any failure to reach the database is "unhealthy"
        reason = f"{type(exc).__name__}: {exc}"
        return JsonResponse(
            {"status": "error", "database": {"status": "error", "reason": reason}}, status=503
        )
    return JsonResponse({"status": "ok", "database": database})


@require_safe
@never_cache
async def csrf(request: HttpRequest) -> HttpResponse:
    """Sets the CSRF cookie for a page that holds no token (a page-cached one): its
    script asks here before the first POST. The token is read from the cookie."""
    get_token(request)
    return HttpResponse(status=204)


# Django's reasons for refusing a POST that a same-origin visitor without JavaScript can
# cause on a page-cached form: the form has no token, and maybe there is no cookie yet.
CONFIRMABLE = {csrf_middleware.REASON_NO_CSRF_COOKIE, csrf_middleware.REASON_CSRF_TOKEN_MISSING}


def _same_origin(request: HttpRequest) -> bool:
    # Browsers say where a request comes from: Sec-Fetch-Site (all current ones), and
    # Origin on every POST. A cross-site form never gets a confirmation page to click.
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. A same-origin form sent without its token (JavaScript off on a
    shared, page-cached page) gets a page that asks to confirm the same form, this time
    with a token; anything else gets a plain refusal that says why."""
    confirm = request.method == "POST" and reason in CONFIRMABLE and _same_origin(request)
    fields = []
    if confirm:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
    context = {"confirm": confirm, "fields": fields, "action": request.get_full_path()}
    return render(request, "csrf-failure.html", context, status=403)
