"""The register's values and rules: pure Python (standard library and pydantic), no I/O.

Everything that decides what may be published lives here, so that the web, the CLI, the sync
workers and the tests all apply the same rules.
"""
