"""Data protection: anonymising old data, exporting a person's data, backing up the database."""
