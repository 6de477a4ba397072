"""Tests of the importer: readers, mapping and normalisation."""
