"""Integrations with other tools; each module needs its own optional extra.

- :mod:`seedclean.contrib.datatrove`: a formatter step for HuggingFace
  datatrove pipelines (``pip install 'seedclean[datatrove]'``).
"""
