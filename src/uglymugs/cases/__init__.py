"""Casework: a case record per incident, sealed with the case key before it is stored.

:mod:`uglymugs.cases.records` holds the record (status, assignee, notes, contact log),
seals and opens it and saves it with optimistic concurrency; :mod:`uglymugs.cases.store`
is the port it is stored through (SQLite locally, DynamoDB on AWS), which only ever
sees ciphertext, the incident's number and a version.
"""
