"""Scheming schemas for datasets and agencies."""
