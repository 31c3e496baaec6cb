"""The staff side: exports of redacted answers (and, later, the /review web app)."""
