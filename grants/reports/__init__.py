"""Reports: the figures of a round, a financial year and a fund, as pages, downloads and CLI
output, and the paragraphs of the Commissioner's progress report to the Police and Crime
Panel."""
