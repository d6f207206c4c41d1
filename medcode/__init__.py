"""medcode: the domain library behind the course in US medical billing and coding.

Import the module named after the thing you need, e.g. ``from medcode import checks``.
"""
__version__ = "0.1.0"
