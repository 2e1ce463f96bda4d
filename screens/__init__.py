"""Textual screens and the application that hosts them."""
