from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from quizsite.throttle import Throttled, throttle_check_sync, throttled_response

from .forms import SignupForm

_login = auth_views.LoginView.as_view()


@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Django's login, with attempts counted per address and per user name first, so a
    burst of guesses is stopped however fast it comes."""
    if request.method == "POST":
        try:
            throttle_check_sync(
                action="login", request=request, account=request.POST.get("username", "")
            )
        except Throttled as exc:
            return throttled_response(request, exc)
    return _login(request)


# Sync on purpose: the form hashes the password (slow CPU work) and login() is sync.
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        try:
            throttle_check_sync(action="signup", request=request)
        except Throttled as exc:
            return throttled_response(request, exc)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "next": next_url}
    return render(request, "registration/signup.html", context, status=400 if form.errors else 200)
