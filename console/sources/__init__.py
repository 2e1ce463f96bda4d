"""Data sources: each turns queries into plain series, tables or alerts."""
