"""Looking after a local scheme's data directory: ``doctor``, ``backup`` and ``restore``.

- :mod:`~uglymugs.operations.layout`: what lives in the data directory and what a
  backup holds of it;
- :mod:`~uglymugs.operations.reconcile`: the idempotency ledger against the vault;
- :mod:`~uglymugs.operations.doctor`: integrity checks and leftover temporary files;
- :mod:`~uglymugs.operations.sealed_stream`: the encrypted archive format;
- :mod:`~uglymugs.operations.backup` and :mod:`~uglymugs.operations.restore`.

None of them ever prints or logs what a report, a member or a message says: counts,
file names and report numbers only.
"""
