from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizsite.throttle import client_address as client_of

from .experiments import EXPERIMENTS, ParamError
from .limits import Busy
from .selectors import lab_page, run_card
from .services import experiment_outcome, live_run_create


def experiment_or_404(name: str):
    if name not in EXPERIMENTS:
        raise Http404(f"No experiment called {name}")
    return EXPERIMENTS[name]


@require_safe
async def index(request: HttpRequest) -> HttpResponse:
    return render(request, "lab/index.html", await lab_page())


@require_http_methods(["GET", "HEAD", "POST"])
async def run(request: HttpRequest, name: str) -> HttpResponse:
    """The form's target: a run card for htmx, or the whole page without JavaScript."""
    experiment = experiment_or_404(name)
    if request.method != "POST":
        # The no-JS result page lives at this URL; opened again (a bookmark, a reload
        # after going back) it leads to the experiment's form instead of refusing.
        return redirect(reverse("lab:index") + f"#{experiment.name}")
    data = {p.name: request.POST[p.name] for p in experiment.params if p.name in request.POST}
    status, body = await experiment_outcome(name=name, data=data, client=client_of(request))
    card = (
        run_card(result=body, experiment=experiment)
        if status == 200
        else run_card(error=body["error"], experiment=experiment)
    )
    response = (
        render(request, "lab/index.html#run-card", {"card": card})
        if request.htmx
        else render(
            request,
            "lab/index.html",
            await lab_page(values={name: data}, cards={name: card}),
        )
    )
    response.status_code = status
    if "retry_after" in body:
        response["Retry-After"] = str(body["retry_after"])
    return response


@require_POST
async def live_start(request: HttpRequest) -> HttpResponse:
    """push-vs-poll in this browser: a panel that lab.js and htmx polling bring to life."""
    data = {k: request.POST[k] for k in ("events", "interval_ms") if k in request.POST}
    status, context = 200, {}
    try:
        context["live"] = await live_run_create(data=data, client=client_of(request))
    except (ParamError, Busy) as exc:
        status, context["live_error"] = (429 if isinstance(exc, Busy) else 400), str(exc)
    if request.htmx:
        response = render(request, "lab/index.html#live-panel", context)
    else:
        response = render(request, "lab/index.html", {**await lab_page(), **context})
    response.status_code = status
    return response
