"""What the console remembers between runs: saved views, acknowledgements,
annotations and usage records, behind one interface (`StateStore`).

The default store is SQLite in the user's data directory; a team store (DynamoDB)
implements the same interface. Nothing here imports Textual.
"""
