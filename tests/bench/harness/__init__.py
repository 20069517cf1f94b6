"""The parts of scripts/bench: processes, set-up, one module per measurement, the table."""
