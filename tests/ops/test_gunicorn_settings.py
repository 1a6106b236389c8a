"""The gunicorn settings' garbage collector: a worker freezes what it loaded and
collects its youngest objects less often (the served app under these settings:
tests/ops/test_metrics.py)."""

import gc

from certtrack.observability.gunicorn_hooks import YOUNG_GENERATION_THRESHOLD, post_worker_init


def test_a_worker_freezes_what_it_loaded_and_collects_young_objects_less_often():
    before = gc.get_threshold()
    try:
        post_worker_init(None)
        assert gc.get_freeze_count() > 10_000  # the modules and the app, at least
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, before[1], before[2])
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
