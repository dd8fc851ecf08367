"""Measured figures, printed as tables; never asserted as wall-clock times in tests."""
