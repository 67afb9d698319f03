"""How the serving process holds its memory: set once, as the application starts.

A request to a list page makes tens of thousands of short-lived objects (rows,
model instances, template nodes). With CPython's default thresholds (700 new
objects), the cyclic collector runs many times a request, and now and then a
full collection walks every object the process holds (Django, the URL resolver,
compiled templates), which is what set the p95 of the API lists. After start-up
those objects live as long as the process: `gc.freeze()` moves them out of the
collector's way, and a higher first threshold lets a request's own garbage go in
fewer, cheaper passes. Reference counting frees almost everything anyway; the
collector is only for cycles, which still get collected.
"""

from __future__ import annotations

import gc

# Objects allocated (less freed) before the youngest generation is collected: 700 by default.
FIRST_GENERATION_THRESHOLD = 50_000


def tune_garbage_collection() -> None:
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, second, third)
