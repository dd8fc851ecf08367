"""Notify: new, corrected and withdrawn alerts reach members by e-mail and SMS, exactly once."""
