"""Verified directory of help centres and legal aid: HSDS data, import, export, search."""
