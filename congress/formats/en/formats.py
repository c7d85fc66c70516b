from congress.formats import *  # noqa: F403 (the project's written forms, the same in every language)
