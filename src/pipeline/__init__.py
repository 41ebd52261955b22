"""Pipeline that rebuilds the 'Konstruktiv uro' report from raw survey exports."""

__version__ = "0.1.0"
