"""Markdown written to attack the page: each line tries to run script another way."""

HOSTILE_MARKDOWN = """
## Harmless heading

<script>window.pwned = 1</script>
<img src="/static/favicon.svg" onload="window.pwned = 1" alt="icon">
<img src="x" onerror="window.pwned = 1">
<a href="javascript:window.pwned=1">click me</a>
[markdown link](javascript:window.pwned=1)
[entity link](jav&#x09;ascript:window.pwned=1)
<svg onload="window.pwned = 1"><circle r="1"/></svg>
<iframe src="javascript:window.pwned=1"></iframe>
<details open ontoggle="window.pwned = 1"><summary>toggle me</summary>inside</details>
<form action="javascript:window.pwned=1"><button>go</button></form>
<p style="background:url(javascript:alert(1))" onclick="window.pwned = 1">styled</p>
<object data="data:text/html,<script>alert(1)</script>"></object>
<div onmouseover="window.pwned = 1">hover me</div>
![img](javascript:alert(1))

```{.python onclick="alert(1)"}
print("<script>alert(1)</script>")
```

<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>
"""

# An instructor's question that dresses itself up as the site: a fake error banner and
# an id that takes over the keyboard-help dialog of the quiz page.
SPOOFING_MARKDOWN = """
Which is right?
{: .message .message-error #quiz-keys}

<div id="main" class="visually-hidden site-nav">hidden</div>

## A heading {: #quiz-keys .lab-down }

Footnote here[^1].

[^1]: The note.

!!! warning
    Careful.
"""
