"""360Giving open data: export, import and the public register of awards."""
