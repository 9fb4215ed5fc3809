"""Streamlit helpers shared by the pages: the source, cached loaders, filters, messages.

This is the only part of the package that imports Streamlit.
"""
