"""`{% url %}`, with each URL worked out once per process.

Django's `{% url %}` calls `reverse()` on every render: matching the view name against
the URLconf's patterns, checking the arguments against each candidate's converters and
quoting the result, about 15 µs a call here. A learner's question page has some twenty
of them (the nav's links, the form's action, the next question), a sixth of the page's
CPU. For the same view name, arguments, namespace, URLconf and script prefix the answer
is always the same, so this tag keeps it (the last few thousand). Installed in place of
Django's through TEMPLATES' `builtins`; it renders what Django's renders, errors
included (tests/quizsite/test_urltag.py compares the two).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode, url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_SIZE = 4096
_kept: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def kept_reverse(view_name, args: list, kwargs: dict, current_app) -> str:
    try:
        key = (
            view_name,
            tuple(args),
            tuple(sorted(kwargs.items())),
            current_app,
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
        )
        hash(key)
    except TypeError:  # an unhashable argument: nothing to keep it under
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    with _lock:
        if (found := _kept.get(key)) is not None:
            _kept.move_to_end(key)
            return found
    found = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    with _lock:
        _kept[key] = found
        if len(_kept) > _SIZE:
            _kept.popitem(last=False)
    return found


class KeptURLNode(URLNode):
    def render(self, context):
        # Django's URLNode.render, with kept_reverse() for reverse().
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        result = ""
        try:
            result = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = result
            return ""
        return conditional_escape(result) if context.autoescape else result


@register.tag(name="url")
def kept_url(parser, token):
    node = url(parser, token)  # Django's parsing, errors and all
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
