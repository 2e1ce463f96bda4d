"""Textual widgets: panels and the parts they are drawn from."""
