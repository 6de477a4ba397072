"""The demo city the monitor's tests read (`demo_folder`, `demo_url`) lives in tests/conftest.py,
shared with the web atlas's tests, so that a run builds it once."""
