"""Test doubles for evalkit's own tests and benchmarks.

Nothing is re-exported here on purpose: ``python -m evalkit.testing.fake_api``
must not find its module already imported by the package.
"""
