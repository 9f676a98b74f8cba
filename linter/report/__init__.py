"""Reporters: findings out as text, JSON and SARIF."""
