// CSRF for pages that hold no token of their own. Anonymous pages are the same bytes for
// every visitor (the page cache shares them), so the token comes from the csrftoken
// cookie instead: sent as X-CSRFToken with every htmx request that is not a GET, and
// added to plain POST forms at submit time. A visitor who has no cookie yet gets one
// from /csrf/ before the first POST leaves. Without JavaScript, Django's CSRF failure
// view (quizsite.views.csrf_failure) asks the visitor to confirm instead.
(function () {
  "use strict";
  var body = document.body;
  var cookieName = body.dataset.csrfCookie || "csrftoken";
  var pending = null;

  function token() {
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var pair = parts[i].trim().split("=");
      if (pair[0] === cookieName) return decodeURIComponent(pair.slice(1).join("="));
    }
    return "";
  }

  function ensureToken() {
    if (token()) return Promise.resolve(token());
    if (!pending) {
      pending = fetch(body.dataset.csrfUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function () { pending = null; return token(); });
    }
    return pending;
  }

  function isPost(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post";
  }

  function addToken(form, value) {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.appendChild(input);
    }
    input.value = value;
  }

  // htmx: hold a request until there is a token, then send it in the header.
  document.addEventListener("htmx:confirm", function (event) {
    var verb = (event.detail.verb || "get").toLowerCase();
    if (verb === "get" || token()) return;
    event.preventDefault();
    ensureToken().then(function () { event.detail.issueRequest(true); });
  });
  document.addEventListener("htmx:configRequest", function (event) {
    if ((event.detail.verb || "get").toLowerCase() !== "get") {
      event.detail.headers["X-CSRFToken"] = token();
    }
  });

  // Plain forms (htmx not involved, or htmx not loaded).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !isPost(form)) return;
    if (form.querySelector('input[name="csrfmiddlewaretoken"]')) return;
    if (token()) { addToken(form, token()); return; }
    // htmx sends this form itself and waits for the token in htmx:confirm above.
    if (window.htmx && form.closest("[hx-post], [hx-boost='true']")) return;
    event.preventDefault();
    ensureToken().then(function (value) { addToken(form, value); form.requestSubmit(event.submitter || undefined); });
  }, true);

  // A page with a form gets its cookie now, so the first click does not wait.
  if (document.querySelector('form[method="post" i], [hx-post]')) ensureToken();
})();
