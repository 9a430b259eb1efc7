"""The interactive audit (`carecheck audit`): the only place that talks to a person in a terminal."""
