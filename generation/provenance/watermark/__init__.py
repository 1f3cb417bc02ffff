"""The watermark module, moved whole into this package as ``reader.py`` (so that its history
follows); the next commit splits it into one file per topic.  Until then every name of the
module is this package's too."""

from . import reader as _whole

globals().update({k: v for k, v in vars(_whole).items() if not k.startswith("__")})
