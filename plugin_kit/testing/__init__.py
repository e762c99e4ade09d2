"""Test harnesses of the plugin kit: each takes a plugin (its class, or its name) as a parameter."""
