"""The audit trail: who did what to which report, member or alert, never the content.

:mod:`uglymugs.audit.trail` appends hash-chained entries and verifies the chain;
:mod:`uglymugs.audit.log` is the port the entries are stored through (SQLite locally,
DynamoDB on AWS). ``docs/staff.md`` says what an entry proves and what it does not.
"""
