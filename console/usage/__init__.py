"""How the console is used and how fast it is: records, figures and the report.

Nothing here imports Textual. The recorder only ever writes to the state store the
app was given, so nothing leaves the machine unless that store is a team store.
"""
