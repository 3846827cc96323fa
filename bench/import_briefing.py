"""How long the briefing importer takes per briefing (parse, and parse + save).

Run: .venv/bin/python bench/import_briefing.py
"""

import time

import _scratch

_scratch.setup()

from django.db import transaction  # noqa: E402

from apps.briefings.importer.parse import decode, parse_briefing  # noqa: E402
from apps.briefings.importer.save import import_briefing  # noqa: E402

ROUNDS = 5


class Rollback(Exception):
    pass


def best_of(function):
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


print(f"{'briefing':32} {'bytes':>7} {'parse ms':>9} {'import ms':>10}")
for path in sorted((_scratch.ROOT / "tests" / "data" / "seeds").glob("*.txt")):
    data = path.read_bytes()

    def save(data=data, name=path.name):
        try:
            with transaction.atomic():
                import_briefing(data, name=name)
                raise Rollback
        except Rollback:
            pass

    parse_ms = best_of(lambda data=data: parse_briefing(decode(data)))
    print(f"{path.name:32} {len(data):7} {parse_ms:9.1f} {best_of(save):10.1f}")
