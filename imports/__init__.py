"""File readers and mapping profiles: exports in, validated canonical rows out."""
