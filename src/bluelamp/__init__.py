"""bluelamp: a records system for a police force, built around the people it exists to protect."""
