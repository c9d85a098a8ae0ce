"""Test helpers that are not tests: servers that misbehave on purpose."""
