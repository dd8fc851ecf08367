"""Ports (interfaces) for everything that stores, and their local and AWS adapters."""
