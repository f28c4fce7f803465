"""The server's garbage-collector settings (``api.serving.tune_gc``, applied before serving)."""

from __future__ import annotations

import gc

from api.serving import GC_YOUNG_THRESHOLD, tune_gc


def test_the_server_freezes_what_it_built_and_collects_the_young_generation_less_often():
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, before[1], before[2])
        assert gc.get_freeze_count() > 0  # the modules and objects built so far are out of every collection
        garbage = []
        garbage.append(garbage)  # a reference cycle made after the freeze is still collected
        del garbage
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
