"""`make bench`: the site as `make run` serves it, beside a bare Django "hello" under
gunicorn, measured in one run. It prints numbers and asserts nothing about speed.

    python -m quizsite.bench [--seconds 60] [--learners 200] [--page-seconds 5] [--think 2]

The parts: servers.py starts the site (the supervisor, on free ports, with a database
of its own) and the hello project; load.py measures requests per second with wrk (or
an asyncio + httpx loop when wrk is missing); inprocess.py counts thread hops and
queries per page inside this process; learners.py is a class clicking through quizzes
with real forms; browser.py is the little form-filling client those share.
"""
