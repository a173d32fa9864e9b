"""Routines: the data files, their loader and validator, and the guided routine window."""
