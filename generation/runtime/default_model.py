"""The built-in development model.

A real Stable Diffusion architecture (UNet2DConditionModel, AutoencoderKL, CLIPTextModel,
CLIPTokenizer, EulerDiscreteScheduler) at tiny size with seeded random weights. It is saved
with ``StableDiffusionPipeline.save_pretrained`` so it loads through exactly the same
``from_pretrained`` path as a real SD 1.x/2.x/Turbo folder. It needs nothing from the network,
builds in a few seconds on a CPU and is a few MB on disk. Its images are abstract colour fields:
it exists so that development machines and the test suite run the whole generation path.

The build is deterministic (same bytes every time), atomic (built in a temporary sibling
folder and renamed into place; the marker file is written last) and safe against concurrent
builders (an ``fcntl.flock`` on a lock file next to the target).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from pathlib import Path

MODEL_NAME = "rightscast-dev-tiny-sd"
MODEL_VERSION = 1
MARKER_FILENAME = "rightscast_builtin.json"

_SEED = 20240601

# A handful of BPE merges; enough for the tokenizer to be a genuine byte-level BPE.
_MERGES: tuple[tuple[str, str], ...] = (
    ("t", "h"),
    ("th", "e</w>"),
    ("i", "n"),
    ("in", "g</w>"),
    ("a", "n"),
    ("an", "d</w>"),
    ("e", "r"),
    ("o", "n"),
    ("r", "e"),
    ("a", "t"),
    ("e", "n"),
    ("o", "r"),
    ("s", "t"),
    ("o", "f</w>"),
    ("a", "r"),
    ("e", "s</w>"),
)
_BOS = "<|startoftext|>"
_EOS = "<|endoftext|>"
_MAX_TOKENS = 77


def read_marker(path: Path) -> dict | None:
    """The built-in marker in ``path`` if it is there and is ours (current version), else None."""
    try:
        data = json.loads((Path(path) / MARKER_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if data.get("name") != MODEL_NAME or data.get("version") != MODEL_VERSION:
        return None
    return data


def is_complete(path: Path) -> bool:
    return read_marker(path) is not None


def build_default_model(path: Path) -> Path:
    """Build the development model into ``path`` unless a complete one is already there.

    Returns ``path``. Safe to call from several processes at once.
    """
    path = Path(path).absolute()
    if is_complete(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.parent / f".{path.name}.lock"
    with open(lock_path, "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            if is_complete(path):  # another process finished it while we waited
                return path
            _remove_stale_temp_dirs(path)
            # mkdir (not mkdtemp) so the folder gets the usual umask permissions, not 0700.
            tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex}"
            tmp.mkdir()
            try:
                _build_into(tmp)
                _write_marker(tmp)
                if path.exists() or path.is_symlink():
                    _remove_incomplete(path)
                os.replace(tmp, path)
                _fsync_dir(path.parent)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    return path


def _remove_stale_temp_dirs(path: Path) -> None:
    # Only called with the lock held, so no live builder owns these.
    for leftover in path.parent.glob(f".{path.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _remove_incomplete(path: Path) -> None:
    """Remove an incomplete earlier build; refuse to delete a folder that is not one."""
    if path.is_symlink() or path.is_file():
        raise RuntimeError(f"{path} exists and is not a model folder; refusing to replace it")
    entries = list(path.iterdir())
    if entries and not (path / "model_index.json").exists():
        raise RuntimeError(
            f"{path} exists, is not empty and does not look like a built-in model; "
            "refusing to replace it (choose another builtin_dir or empty it)"
        )
    shutil.rmtree(path)


def _write_marker(folder: Path) -> None:
    marker = folder / MARKER_FILENAME
    with open(marker, "w", encoding="utf-8") as fh:
        json.dump({"name": MODEL_NAME, "version": MODEL_VERSION}, fh, sort_keys=True)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP's reversible byte → printable unicode character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    bs += list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs), strict=True))


def _write_tokenizer_files(folder: Path) -> int:
    """Write a CLIP byte-level BPE vocabulary; return the vocabulary size."""
    folder.mkdir(parents=True)
    alphabet = list(_bytes_to_unicode().values())
    tokens = alphabet + [c + "</w>" for c in alphabet]
    for left, right in _MERGES:
        merged = left + right
        if merged not in tokens:
            tokens.append(merged)
    tokens += [_BOS, _EOS]
    vocab = {tok: i for i, tok in enumerate(tokens)}
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    merges = "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in _MERGES)
    (folder / "merges.txt").write_text(merges, encoding="utf-8")
    (folder / "special_tokens_map.json").write_text(
        json.dumps({"bos_token": _BOS, "eos_token": _EOS, "unk_token": _EOS, "pad_token": _EOS}),
        encoding="utf-8",
    )
    (folder / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "CLIPTokenizer",
                "model_max_length": _MAX_TOKENS,
                "bos_token": _BOS,
                "eos_token": _EOS,
                "unk_token": _EOS,
                "pad_token": _EOS,
                "do_lower_case": True,
            }
        ),
        encoding="utf-8",
    )
    return len(vocab)


def _build_into(folder: Path) -> None:
    import torch
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    tok_src = folder / "_tokenizer_src"
    vocab_size = _write_tokenizer_files(tok_src)
    tokenizer = CLIPTokenizer.from_pretrained(tok_src, local_files_only=True)
    shutil.rmtree(tok_src)

    # fork_rng: seed locally without disturbing the caller's global RNG state.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(_SEED)
        unet = UNet2DConditionModel(
            sample_size=32,
            in_channels=4,
            out_channels=4,
            layers_per_block=1,
            block_out_channels=(32, 64),
            down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
            up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
            cross_attention_dim=32,
            attention_head_dim=(2, 4),
            use_linear_projection=True,
            norm_num_groups=32,
        )

        torch.manual_seed(_SEED + 1)
        # Four blocks => three downsamplings => the usual 8x: 256x256 pixels <-> 32x32 latents.
        vae = AutoencoderKL(
            in_channels=3,
            out_channels=3,
            down_block_types=("DownEncoderBlock2D",) * 4,
            up_block_types=("UpDecoderBlock2D",) * 4,
            block_out_channels=(16, 16, 32, 32),
            layers_per_block=1,
            norm_num_groups=8,
            latent_channels=4,
            sample_size=256,
            scaling_factor=0.18215,
        )
        with torch.no_grad():
            # Give the decoder's output layer a wider range so images span more of the
            # colour space instead of sitting near mid-grey.
            vae.decoder.conv_out.weight.mul_(2.0)
            vae.decoder.conv_out.bias.copy_(torch.tensor([0.25, -0.1, -0.2]))

        torch.manual_seed(_SEED + 2)
        text_encoder = CLIPTextModel(
            CLIPTextConfig(
                vocab_size=vocab_size,
                hidden_size=32,
                intermediate_size=37,
                num_hidden_layers=2,
                num_attention_heads=4,
                max_position_embeddings=_MAX_TOKENS,
                projection_dim=32,
                hidden_act="quick_gelu",
                layer_norm_eps=1e-5,
                bos_token_id=tokenizer.bos_token_id,
                eos_token_id=tokenizer.eos_token_id,
                pad_token_id=tokenizer.pad_token_id,
            )
        )

    scheduler = EulerDiscreteScheduler(
        num_train_timesteps=1000,
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        prediction_type="epsilon",
        timestep_spacing="trailing",
        steps_offset=1,
    )

    pipe = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(folder, safe_serialization=True)
