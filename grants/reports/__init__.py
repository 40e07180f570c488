"""Reports: a round's, a year's and a fund's figures, and the progress report to the Panel."""
