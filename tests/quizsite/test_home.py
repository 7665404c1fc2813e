"""The home page's table is a measurement written down: it says when, where and with what
it was measured, and every row links to the lab experiment that measures it again."""

import re

import pytest

from quizsite.lab.experiments import EXPERIMENTS


@pytest.mark.django_db
def test_the_home_table_says_when_and_where_and_links_each_row_to_its_experiment(client):
    html = client.get("/").content.decode()
    table = html[html.index('<section class="teaser">') :]
    caption = re.search(r"<caption>(.*?)</caption>", table, re.S).group(1)
    assert re.search(r"\d{1,2} \w+ 20\d\d", caption)  # a date
    for what in ("2-core", "Python 3.", "Django 6.", "uvicorn 0.", "gunicorn "):
        assert what in caption, what
    rows = re.findall(r"<tr><td>(.*?)</td>", table, re.S)
    assert len(rows) >= 4
    for row in rows:
        anchor = re.search(r'href="/lab/#([\w-]+)"', row)
        assert anchor and anchor.group(1) in EXPERIMENTS, row
