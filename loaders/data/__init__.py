"""Data files shipped with the loaders (the actor registry); a package so the files ship in wheels."""
