"""Small shared utilities that every room may use."""
