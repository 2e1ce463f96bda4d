"""Benchmarks that print figures about watchdeck and its peers; never pass/fail."""
