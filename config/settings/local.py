"""The embedded default: SQLite, in-process worker, built-in model, console e-mail."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
