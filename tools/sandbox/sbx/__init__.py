"""Implementation of tools/sandbox/sandbox (stdlib only)."""
