"""The forms of applying: starting, each section, documents, sending and withdrawing."""
