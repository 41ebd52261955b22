"""Renders the book: Quarto where installed, else the built-in pandoc + Typst renderer."""
