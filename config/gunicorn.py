"""Gunicorn settings the application relies on (``gunicorn -c config/gunicorn.py``).

Each worker builds the "Is this child known?" candidate index as it starts, in the
background, instead of on its first search (``matching.index_cache.warm_in_background``):
building it reads and prepares every agency record, seconds in the demo and a minute at
national scale, which a practitioner's search should not wait for.
"""


def post_worker_init(worker):
    from safeguarding.children.matching import index_cache

    index_cache.warm_in_background()
