"""The staff console: ``uglymugs staff``, a local web app on 127.0.0.1 for caseworkers.

Reports are decrypted only here, in this process's memory, after the passphrase is
typed; the console locks (and forgets every key and report) after 15 idle minutes.
:mod:`.app` assembles the pages; :mod:`.guard` holds the launch token, session, Host
and Origin checks; the other modules are one page or action each.
"""
