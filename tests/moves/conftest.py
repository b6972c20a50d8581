# Moves are found in the children area's records: its fixtures, shared rather than copied.
from tests.children.conftest import fresh_index, linked, linked_once, sources  # noqa: F401
