"""Where a nominal search's time goes: the same searches as search_bench.py, through the WSGI
application in this process (what gunicorn calls, with no network), under pyinstrument.

    .venv/bin/python bench/search_profile.py --sqlite /work/benchdata/m1.sqlite3 --queries 300
    .venv/bin/python bench/search_profile.py --postgres URL --queries 300 --html /tmp/p.html

Prints the CPU time per request with and without the profiler, and the profile (text, or HTML
with ``--html``)."""

from __future__ import annotations

import argparse
import io
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _force import bench_user, setup_django  # noqa: E402
from search_bench import planted_searches  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite")
    parser.add_argument("--postgres")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--html", help="write the profile here as HTML")
    args = parser.parse_args(argv)
    setup_django(args.sqlite, args.postgres)
    from django.core.wsgi import get_wsgi_application
    from pyinstrument import Profiler

    from bluelamp.accounts.roles import Role
    from bluelamp.accounts.services import issue_api_token

    user = bench_user(Role.INVESTIGATOR, "bench-search")
    token = issue_api_token(user=user, name="search profile", days=1)
    searches = planted_searches(args.queries + 30, args.seed)
    application = get_wsgi_application()

    def request(query: dict) -> int:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/api/people/match",
            "QUERY_STRING": urllib.parse.urlencode(query),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        status = []
        body = b"".join(application(environ, lambda s, h: status.append(s)))
        if not status[0].startswith("200"):
            print(status[0], query, body[:200], file=sys.stderr)
        return len(body)

    for query, _, _ in searches[:30]:
        request(query)
    measured = [query for query, _, _ in searches[30:]]
    started = time.process_time()
    for query in measured:
        request(query)
    plain = (time.process_time() - started) * 1000 / len(measured)
    profiler = Profiler(interval=0.0005)
    started = time.process_time()
    with profiler:
        for query in measured:
            request(query)
    profiled = (time.process_time() - started) * 1000 / len(measured)
    print(f"CPU per search: {plain:.2f} ms ({profiled:.2f} ms under the profiler)")
    if args.html:
        Path(args.html).write_text(profiler.output_html())
    else:
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
