"""The built-in development model, and random-weight models of real size for benchmarks.

The built-in model is a real Stable Diffusion architecture (UNet2DConditionModel, AutoencoderKL,
CLIPTextModel, CLIPTokenizer, EulerDiscreteScheduler) at tiny size with seeded random weights,
saved with ``StableDiffusionPipeline.save_pretrained`` so it loads through exactly the same
``from_pretrained`` path as a real SD 1.x/2.x/Turbo folder. Next to it, in the layouts the real
add-ons use, it carries:

- ``ip_adapter/ip-adapter_rightscast.safetensors`` and ``ip_adapter/image_encoder/``: an IP-Adapter
  (image projection + per-layer ``to_k_ip``/``to_v_ip``, the original IP-Adapter key layout) shaped
  for the tiny UNet, with a tiny ``CLIPVisionModelWithProjection`` image encoder. The runtime loads
  it with diffusers' ``load_ip_adapter`` from the local folder, as it would h94/IP-Adapter.
- ``vae_tiny/``: a tiny ``AutoencoderTiny`` (TAESD layout) that decodes previews during denoising.
- ``motion_adapter/``: a tiny AnimateDiff ``MotionAdapter`` matching the UNet: the video variant is
  ``AnimateDiffPipeline.from_pretrained(<model>, motion_adapter=...)``, as with a real SD 1.5 model.

It needs nothing from the network, builds in a few seconds on a CPU and is a few MB on disk. Its
images are abstract colour fields: it exists so that development machines and the test suite run
the whole generation path.

The build is deterministic (same bytes every time), atomic (built in a temporary sibling
folder and renamed into place; the marker file is written last) and safe against concurrent
builders (an ``fcntl.flock`` on a lock file next to the target).

:func:`build_random_model` builds the same kind of folder at other sizes (``tiny-sdxl`` for tests;
``sd-turbo`` and ``sdxl``: SD 2.1 / SDXL shapes at full size with random weights, for measuring speed
on a GPU host that cannot download real weights).
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
# The Stable Diffusion part (unet, vae, text encoder, tokenizer, scheduler) is unchanged since
# version 1, byte for byte; the add-ons (IP-Adapter, tiny VAE, motion adapter) have their own
# version in the marker. A folder from before the add-ons is rebuilt; code that only knows version 1
# still takes a folder with add-ons as complete (it ignores keys it does not know), so old and new
# checkouts sharing one var/ folder do not rebuild it in turn.
MODEL_VERSION = 1
ADDONS_VERSION = 1
MARKER_FILENAME = "rightscast_builtin.json"
RANDOM_MARKER_FILENAME = "rightscast_random.json"

# The add-ons, where the runtime looks for them inside a model folder.
IP_ADAPTER_SUBFOLDER = "ip_adapter"
IP_ADAPTER_WEIGHT_NAME = "ip-adapter_rightscast.safetensors"
IMAGE_ENCODER_SUBFOLDER = "image_encoder"  # inside IP_ADAPTER_SUBFOLDER, as in h94/IP-Adapter
TINY_VAE_SUBFOLDER = "vae_tiny"
MOTION_ADAPTER_SUBFOLDER = "motion_adapter"

ARCHES = ("tiny-sd", "tiny-sdxl", "sd-turbo", "sdxl")

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
    if data.get("name") != MODEL_NAME or data.get("version") != MODEL_VERSION or data.get("addons") != ADDONS_VERSION:
        return None
    return data


def is_complete(path: Path) -> bool:
    return read_marker(path) is not None


def read_random_marker(path: Path) -> dict | None:
    """The marker of a :func:`build_random_model` folder, else None."""
    try:
        data = json.loads((Path(path) / RANDOM_MARKER_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("addons") != ADDONS_VERSION or data.get("arch") not in ARCHES:
        return None
    return data


def build_default_model(path: Path) -> Path:
    """Build the development model into ``path`` unless a complete one is already there.

    Returns ``path``. Safe to call from several processes at once.
    """

    def build(tmp: Path) -> None:
        _build_into(tmp, arch="tiny-sd", device="cpu", dtype="float32", seed=_SEED, video=True)
        _write_json(tmp / MARKER_FILENAME, {"name": MODEL_NAME, "version": MODEL_VERSION, "addons": ADDONS_VERSION})

    return _build_atomically(Path(path), is_complete, build)


def build_random_model(
    path: Path, arch: str, *, device: str = "cpu", dtype: str = "float16", seed: int = _SEED, video: bool | None = None
) -> Path:
    """A model folder of architecture ``arch`` (see :data:`ARCHES`) with seeded random weights, the
    same layout as the built-in model (IP-Adapter, tiny VAE and, for SD shapes, a motion adapter).

    For speed measurements where real weights cannot be fetched: ``sd-turbo`` has SD 2.1's shapes
    (865M-parameter UNet, OpenCLIP-H text encoder, 512 px), ``sdxl`` SDXL's (2.6B UNet, two text
    encoders, 1024 px). Build on the GPU (``device="cuda"``) for speed; weights are saved in ``dtype``.
    Not marked as the built-in model; reuses a complete folder of the same arch and seed.
    """
    if arch not in ARCHES:
        raise ValueError(f"arch must be one of {', '.join(ARCHES)}, not {arch!r}")
    if video is None:
        video = not arch.endswith("sdxl")

    def done(p: Path) -> bool:
        marker = read_random_marker(p)
        return marker is not None and marker.get("arch") == arch and marker.get("seed") == seed

    def build(tmp: Path) -> None:
        _build_into(tmp, arch=arch, device=device, dtype=dtype, seed=seed, video=video)
        _write_json(tmp / RANDOM_MARKER_FILENAME, {"arch": arch, "seed": seed, "addons": ADDONS_VERSION})

    return _build_atomically(Path(path), done, build)


def _build_atomically(path: Path, done, build) -> Path:
    path = path.absolute()
    if done(path):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.parent / f".{path.name}.lock"
    with open(lock_path, "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            if done(path):  # another process finished it while we waited
                return path
            _remove_stale_temp_dirs(path)
            # mkdir (not mkdtemp) so the folder gets the usual umask permissions, not 0700.
            tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex}"
            tmp.mkdir()
            try:
                build(tmp)  # writes its marker last
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


def _write_json(target: Path, data: dict) -> None:
    with open(target, "w", encoding="utf-8") as fh:
        json.dump(data, fh, sort_keys=True)
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


# -- architectures -------------------------------------------------------------------------------
# Each is a dict of constructor arguments. "tiny-sd" is the built-in model (its UNet, VAE and text
# encoder are exactly those of version 1); the others follow diffusers' own configurations.

_EULER = dict(
    num_train_timesteps=1000,
    beta_start=0.00085,
    beta_end=0.012,
    beta_schedule="scaled_linear",
    prediction_type="epsilon",
    timestep_spacing="trailing",
    steps_offset=1,
)

_TINY_VAE = dict(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D",) * 4,
    up_block_types=("UpDecoderBlock2D",) * 4,
    block_out_channels=(16, 16, 32, 32),
    layers_per_block=1,
    norm_num_groups=8,
    latent_channels=4,
    sample_size=256,
)
_REAL_VAE = dict(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D",) * 4,
    up_block_types=("UpDecoderBlock2D",) * 4,
    block_out_channels=(128, 256, 512, 512),
    layers_per_block=2,
    norm_num_groups=32,
    latent_channels=4,
)
_TINY_TEXT = dict(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4, projection_dim=32)
_TINY_IMAGE_ENCODER = dict(
    hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4, image_size=32, patch_size=8,
    projection_dim=32,
)
_VIT_H_IMAGE_ENCODER = dict(  # the image encoder of h94/IP-Adapter's SD 1.5 and SDXL "vit-h" adapters
    hidden_size=1280, intermediate_size=5120, num_hidden_layers=32, num_attention_heads=16, image_size=224,
    patch_size=14, projection_dim=1024, hidden_act="gelu",
)

_ARCH_SPECS: dict[str, dict] = {
    "tiny-sd": dict(
        sdxl=False,
        unet=dict(
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
        ),
        # Four blocks => three downsamplings => the usual 8x: 256x256 pixels <-> 32x32 latents.
        vae=dict(_TINY_VAE, scaling_factor=0.18215),
        text_encoders=[dict(_TINY_TEXT, vocab_size=None, hidden_act="quick_gelu")],
        image_encoder=_TINY_IMAGE_ENCODER,
        tiny_vae=dict(
            encoder_block_out_channels=(16, 16, 16, 16),
            decoder_block_out_channels=(16, 16, 16, 16),
            num_encoder_blocks=(1, 1, 1, 1),
            num_decoder_blocks=(1, 1, 1, 1),
        ),
        motion_adapter=dict(
            block_out_channels=(32, 64),
            motion_layers_per_block=1,
            motion_num_attention_heads=2,
            motion_norm_num_groups=32,
            motion_max_seq_length=32,
            use_motion_mid_block=True,
        ),
        colourful=True,
    ),
    "tiny-sdxl": dict(
        sdxl=True,
        unet=dict(
            sample_size=32,
            in_channels=4,
            out_channels=4,
            layers_per_block=1,
            block_out_channels=(32, 64),
            down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
            up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
            transformer_layers_per_block=(1, 2),
            attention_head_dim=(2, 4),
            use_linear_projection=True,
            addition_embed_type="text_time",
            addition_time_embed_dim=8,
            projection_class_embeddings_input_dim=8 * 6 + 32,
            cross_attention_dim=64,
        ),
        vae=dict(_TINY_VAE, scaling_factor=0.13025),
        text_encoders=[
            dict(_TINY_TEXT, vocab_size=None, hidden_act="quick_gelu"),
            dict(_TINY_TEXT, vocab_size=None, hidden_act="gelu"),
        ],
        image_encoder=_TINY_IMAGE_ENCODER,
        tiny_vae=dict(
            encoder_block_out_channels=(16, 16, 16, 16),
            decoder_block_out_channels=(16, 16, 16, 16),
            num_encoder_blocks=(1, 1, 1, 1),
            num_decoder_blocks=(1, 1, 1, 1),
        ),
        motion_adapter=None,
        colourful=True,
    ),
    "sd-turbo": dict(  # Stable Diffusion 2.1 (base) shapes, as used by SD-Turbo
        sdxl=False,
        unet=dict(
            sample_size=64,
            in_channels=4,
            out_channels=4,
            layers_per_block=2,
            block_out_channels=(320, 640, 1280, 1280),
            down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
            up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3,
            cross_attention_dim=1024,
            attention_head_dim=(5, 10, 20, 20),
            use_linear_projection=True,
        ),
        vae=dict(_REAL_VAE, sample_size=512, scaling_factor=0.18215),
        text_encoders=[
            dict(vocab_size=49408, hidden_size=1024, intermediate_size=4096, num_hidden_layers=23,
                 num_attention_heads=16, projection_dim=1024, hidden_act="gelu"),
        ],
        image_encoder=_VIT_H_IMAGE_ENCODER,
        tiny_vae={},  # TAESD's shapes (AutoencoderTiny's defaults)
        motion_adapter=dict(
            block_out_channels=(320, 640, 1280, 1280),
            motion_layers_per_block=2,
            motion_num_attention_heads=8,
            motion_norm_num_groups=32,
            motion_max_seq_length=32,
            use_motion_mid_block=True,
        ),
        colourful=False,
    ),
    "sdxl": dict(
        sdxl=True,
        unet=dict(
            sample_size=128,
            in_channels=4,
            out_channels=4,
            layers_per_block=2,
            block_out_channels=(320, 640, 1280),
            down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
            up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
            transformer_layers_per_block=(1, 2, 10),
            attention_head_dim=(5, 10, 20),
            use_linear_projection=True,
            addition_embed_type="text_time",
            addition_time_embed_dim=256,
            projection_class_embeddings_input_dim=2816,
            cross_attention_dim=2048,
        ),
        vae=dict(_REAL_VAE, sample_size=1024, scaling_factor=0.13025, force_upcast=True),
        text_encoders=[
            dict(vocab_size=49408, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                 num_attention_heads=12, projection_dim=768, hidden_act="quick_gelu"),
            dict(vocab_size=49408, hidden_size=1280, intermediate_size=5120, num_hidden_layers=32,
                 num_attention_heads=20, projection_dim=1280, hidden_act="gelu"),
        ],
        image_encoder=_VIT_H_IMAGE_ENCODER,
        tiny_vae={},
        motion_adapter=None,
        colourful=False,
    ),
}


def _build_into(folder: Path, *, arch: str, device: str, dtype: str, seed: int, video: bool) -> None:
    import torch
    from diffusers import (
        AutoencoderKL,
        AutoencoderTiny,
        EulerDiscreteScheduler,
        MotionAdapter,
        StableDiffusionPipeline,
        StableDiffusionXLPipeline,
        UNet2DConditionModel,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
        CLIPTokenizer,
        CLIPVisionConfig,
        CLIPVisionModelWithProjection,
    )

    spec = _ARCH_SPECS[arch]
    torch_dtype = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[dtype]
    tok_src = folder / "_tokenizer_src"
    vocab_size = _write_tokenizer_files(tok_src)
    tokenizer = CLIPTokenizer.from_pretrained(tok_src, local_files_only=True)
    shutil.rmtree(tok_src)

    # fork_rng: seed locally without disturbing the caller's global RNG state. Modules are created
    # on `device` (a GPU makes initialising billions of parameters quick).
    with torch.random.fork_rng(devices=[]), torch.device(device):
        torch.manual_seed(seed)
        unet = UNet2DConditionModel(**spec["unet"])

        torch.manual_seed(seed + 1)
        vae = AutoencoderKL(**spec["vae"])
        if spec["colourful"]:
            with torch.no_grad():
                # Give the decoder's output layer a wider range so images span more of the
                # colour space instead of sitting near mid-grey.
                vae.decoder.conv_out.weight.mul_(2.0)
                vae.decoder.conv_out.bias.copy_(torch.tensor([0.25, -0.1, -0.2]))

        text_encoders = []
        for i, te in enumerate(spec["text_encoders"]):
            torch.manual_seed(seed + 2 + 10 * i)
            te_config = CLIPTextConfig(
                **{**te, "vocab_size": te["vocab_size"] or vocab_size},
                max_position_embeddings=_MAX_TOKENS,
                layer_norm_eps=1e-5,
                bos_token_id=tokenizer.bos_token_id,
                eos_token_id=tokenizer.eos_token_id,
                pad_token_id=tokenizer.pad_token_id,
            )
            # SDXL's second text encoder carries the pooled projection.
            cls = CLIPTextModelWithProjection if (spec["sdxl"] and i == 1) else CLIPTextModel
            text_encoders.append(cls(te_config))

        torch.manual_seed(seed + 3)
        image_encoder = CLIPVisionModelWithProjection(CLIPVisionConfig(num_channels=3, **spec["image_encoder"]))

        torch.manual_seed(seed + 4)
        ip_adapter = _ip_adapter_state_dict(unet, image_encoder.config.projection_dim)

        torch.manual_seed(seed + 5)
        tiny_vae = AutoencoderTiny(**spec["tiny_vae"])
        if spec["colourful"]:
            last = [m for m in tiny_vae.decoder.modules() if isinstance(m, torch.nn.Conv2d)][-1]
            with torch.no_grad():
                last.weight.mul_(3.0)
                last.bias.copy_(torch.tensor([0.55, 0.45, 0.4]))

        motion_adapter = None
        if video and spec["motion_adapter"] is not None:
            torch.manual_seed(seed + 6)
            motion_adapter = MotionAdapter(**spec["motion_adapter"])

    scheduler = EulerDiscreteScheduler(**_EULER)
    if spec["sdxl"]:
        pipe = StableDiffusionXLPipeline(
            vae=vae,
            text_encoder=text_encoders[0],
            text_encoder_2=text_encoders[1],
            tokenizer=tokenizer,
            tokenizer_2=tokenizer,
            unet=unet,
            scheduler=scheduler,
            force_zeros_for_empty_prompt=True,
            add_watermarker=False,
        )
    else:
        pipe = StableDiffusionPipeline(
            vae=vae,
            text_encoder=text_encoders[0],
            tokenizer=tokenizer,
            unet=unet,
            scheduler=scheduler,
            safety_checker=None,
            feature_extractor=None,
            requires_safety_checker=False,
        )
    def cast(module):
        # float32 is what they were made in; casting only when asked keeps diffusers quiet.
        return module if torch_dtype == torch.float32 else module.to(dtype=torch_dtype)

    cast(pipe)
    pipe.save_pretrained(folder, safe_serialization=True)

    from safetensors.torch import save_file

    adapter_dir = folder / IP_ADAPTER_SUBFOLDER
    cast(image_encoder).save_pretrained(adapter_dir / IMAGE_ENCODER_SUBFOLDER, safe_serialization=True)
    save_file(
        {k: v.to(dtype=torch_dtype, device="cpu").contiguous() for k, v in ip_adapter.items()},
        str(adapter_dir / IP_ADAPTER_WEIGHT_NAME),
        metadata={"format": "pt"},
    )
    cast(tiny_vae).save_pretrained(folder / TINY_VAE_SUBFOLDER, safe_serialization=True)
    if motion_adapter is not None:
        cast(motion_adapter).save_pretrained(folder / MOTION_ADAPTER_SUBFOLDER, safe_serialization=True)


def _ip_adapter_state_dict(unet, image_embed_dim: int) -> dict:
    """A plain IP-Adapter for ``unet`` in the original checkpoint layout that ``load_ip_adapter``
    reads: ``image_proj.{proj,norm}`` (image embedding → 4 extra context tokens) and, numbered the way
    diffusers numbers them (1, 3, 5, … over the UNet's cross-attention processors in order),
    ``ip_adapter.<n>.to_k_ip`` / ``to_v_ip``. Random weights, scaled like a trained layer's."""
    import torch

    cross = unet.config.cross_attention_dim
    blocks = list(unet.config.block_out_channels)
    tokens = 4
    state = {
        "image_proj.proj.weight": torch.randn(cross * tokens, image_embed_dim) / image_embed_dim**0.5,
        "image_proj.proj.bias": torch.zeros(cross * tokens),
        "image_proj.norm.weight": torch.ones(cross),
        "image_proj.norm.bias": torch.zeros(cross),
    }
    key = 1
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue  # self-attention: no image tokens
        if name.startswith("mid_block"):
            hidden = blocks[-1]
        elif name.startswith("up_blocks"):
            hidden = list(reversed(blocks))[int(name[len("up_blocks.")])]
        else:
            hidden = blocks[int(name[len("down_blocks.")])]
        state[f"ip_adapter.{key}.to_k_ip.weight"] = torch.randn(hidden, cross) * (2.0 / cross**0.5)
        state[f"ip_adapter.{key}.to_v_ip.weight"] = torch.randn(hidden, cross) * (2.0 / cross**0.5)
        key += 2
    return state
