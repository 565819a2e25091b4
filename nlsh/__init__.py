"""nlsh: a terminal shell where English replaces commands."""

__version__ = "0.1.0"
