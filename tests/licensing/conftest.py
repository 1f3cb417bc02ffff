import pytest


@pytest.fixture(scope="module")
def model():
    """The real screening embedder, loaded once per test module. Inference runs on one torch thread:
    the inputs are a few short sentences, for which intra-op parallelism gains little and, on a
    shared 2-core CI machine, costs up to 10x in contention. The setting is restored afterwards."""
    import torch

    from licensing import screening
    from licensing.screening import model as screening_model

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    if not isinstance(screening_model._MODEL, screening_model._Embedder):
        screening_model._MODEL = None  # a fresh load, in case a fake was left behind
    try:
        yield screening.load_model()
    finally:
        torch.set_num_threads(threads)
