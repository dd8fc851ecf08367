"""Incident reports: numbers, the sealed submission, intake, the API and staff reading."""
