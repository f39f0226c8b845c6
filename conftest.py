"""Project-wide test set-up."""
