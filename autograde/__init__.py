"""The instructor pipeline of the course, on nbgrader: ``python -m autograde <verb>``."""
