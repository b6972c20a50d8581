"""The lookup's candidate index is built as each web worker starts, not on a
practitioner's first search (issue 14, item 14: 7-10 s per search in the demo). Its own
module: the test needs committed data (the build runs on another thread's connection),
which the module-scoped linked world of test_lookup.py cannot share."""

import pytest
from django.core.management import call_command

from config import gunicorn
from safeguarding.children import matching, selectors, services
from safeguarding.children import records as record_checks
from tests.children.conftest import SYSTEM, TODAY, store_a_model_trained_on_synthetic_records
from tests.children.test_object_access import HEADER, KNOWN, OLIVER


@pytest.mark.django_db(transaction=True)
def test_each_web_worker_builds_the_index_as_it_starts_not_on_the_first_search(sources, monkeypatch):
    """config/gunicorn.py's hook: the build runs in a thread of its own (its own database
    connection), and the first search then finds it built."""
    rows = record_checks.read_table("r.csv", (HEADER + KNOWN).encode())
    checked = record_checks.check_rows("r.csv", rows, known_sources={"ns-csc", "sv-gp"}, today=TODAY)
    services.records_receive(checked, actor=SYSTEM, origin="upload", file_name="r.csv")
    store_a_model_trained_on_synthetic_records()
    call_command("children", "link", "--reuse-model")
    matching.index_cache.reset()
    before, started = matching.index_cache.builds, []
    warm = matching.index_cache.warm_in_background
    monkeypatch.setattr(matching.index_cache, "warm_in_background", lambda: started.append(warm()) or started[-1])

    gunicorn.post_worker_init(worker=None)

    (thread,) = started
    thread.join(timeout=60)
    index, builds = matching.index_cache._index, matching.index_cache.builds
    assert index is not None and len(index) == 4 and builds == before + 1
    assert selectors.lookup_unscoped(OLIVER)[0].agencies == ["Northshire social care"]
    assert matching.index_cache._index is index and matching.index_cache.builds == builds  # no build on the search
