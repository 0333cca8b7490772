"""Evidence checks: what a reviewer should look at before the inspectors do.

Each module computes facts (a hash, a position, a people count, a word count) without
touching the database except `duplicates` (the hash index) and `runner`, which turns facts
into flags with reasons. A flag is advice for a person; nothing here rejects a submission.
"""
