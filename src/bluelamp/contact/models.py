"""Calls (999, 101, online, in person), THRIVE grading, the incident log and appointments."""
