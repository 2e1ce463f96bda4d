"""watchdeck's core: profiles, sources, polling, the store and evaluation.

Nothing in this package imports Textual; `tests/test_core_imports.py` holds it to that.
"""
