"""Access table: the health endpoints (core.health), answered to anyone.

Load balancers call them with no account, so they are public; `public` rows are asked
anonymously (tests/core/test_health.py checks that signed-in users get the same 200).
"""

ROUTES = [
    {"name": "healthz", "kwargs": {}, "method": "GET", "public": True},
    {"name": "readyz", "kwargs": {}, "method": "GET", "public": True},
]
