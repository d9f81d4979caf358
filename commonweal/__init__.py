"""Commonweal: social value and community wealth building for UK councils."""
