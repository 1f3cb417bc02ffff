"""Generation throughput through the real path, against the naive baseline, in one run.

    python benchmarks/generation.py                      # built-in model on this machine's CPU
    python benchmarks/generation.py --requests 32 --batch-size 8
    python benchmarks/generation.py --model /models/sd-turbo --device cuda --size 512 --steps 4
    python benchmarks/generation.py --build sd-turbo --device cuda   # SD 2.1 shapes, random weights

**Platform**: N briefs go through the real path: ``generation.services.brief_submit`` (the policy
engine with content screening, quota, usage records) → after commit, the ``run_job`` task on the
``gpu`` queue of an in-memory broker → a real Celery worker (``celery.contrib.testing.worker``,
solo pool, in a thread of this process, as ``manage.py rundev`` runs it) → ``job_run``: claim,
render on the warm runtime (IP-Adapter conditioning on the likeness's verified reference photo),
invisible watermark, C2PA signing, storage, release. Settings are the test settings on a temporary
SQLite database (``DATABASE_URL`` if set). ``--batch-size`` sets ``GENERATION_MAX_BATCH_SIZE``,
which the worker uses once job claiming is wired to ``Runtime.render_batch``; until then each job
is one pipeline call, and the runtime table below shows what ``render_batch`` itself gives.

**Naive**: one plain ``pipe(...)`` call per request on the same model and the same work (prompt,
steps, size, guidance, the same reference image through the same IP-Adapter), with diffusers'
defaults: float32, default attention processors, no compile, no channels_last, no batching. Half
of the naive calls run before the platform run and half after, so drift on a shared machine hits
both sides.

**Platform overhead** is everything a worker does for a job except the pipeline call, as a share
of the worker's job time: (Σ run_job task time − Σ time inside pipeline calls, step callbacks
excluded) / Σ run_job task time. Submitting (policy, screening) runs in the web process, in
parallel with the GPU, and is reported on its own.

**Platform ms per image** is that same worker time outside the pipeline call, divided by the
images: claiming, policy re-checks, progress writes, watermark, C2PA signing, storage. On a GPU the
marking, signing and storing of a batch run in a post-processing thread beside the next batch's
render (``generation.postprocess``): that thread's time is reported on its own, and the GPU-idle
share of the wall clock shows what it costs the GPU.

The last line: ``generation: <ratio>x naive throughput on <device>; platform <ms> ms per image (<p>%)``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TERMINAL = ("released", "awaiting_approval", "failed", "cancelled", "quarantined")
PROMPT = "A smiling person in a denim jacket holding a can of lemon soda on a sunny beach, shot {i}"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=16, help="generation requests on each side (default 16)")
    p.add_argument("--model", type=Path, help="a local diffusers SD/SDXL folder (default: the built-in model)")
    p.add_argument("--build", choices=["sd-turbo", "sdxl"], help="build a random-weight model of real size into var/models/ and use it")
    p.add_argument("--device", default="auto", help="auto | cpu | cuda | cuda:N (default auto)")
    p.add_argument("--dtype", default="auto", help="platform dtype: auto (float16 on CUDA) | float32 | float16 | bfloat16")
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--size", type=int, help="pixels (default 256 for the built-in model, else the model's native size)")
    p.add_argument("--guidance", type=float, default=0.0, help="classifier-free guidance scale (0: off, as SD-Turbo)")
    p.add_argument("--batch-size", type=int, default=4, help="GENERATION_MAX_BATCH_SIZE for the platform (default 4)")
    p.add_argument("--compile", default="off", choices=["off", "regional", "full"], help="platform torch.compile")
    p.add_argument("--channels-last", default="auto", choices=["auto", "on", "off"])
    p.add_argument("--attention", default="sdpa", choices=["sdpa", "eager"])
    p.add_argument("--rounds", type=int, default=2, help="turns naive and platform take (default 2)")
    p.add_argument("--lever-images", type=int, default=8, help="images per row of the runtime table (0: skip the table)")
    p.add_argument("--no-compile-lever", action="store_true", help="leave torch.compile out of the runtime table")
    p.add_argument("--json", type=Path, help="also write the figures here")
    return p.parse_args()


def native_size(model: Path | None) -> int:
    if model is None:
        return 256
    config = json.loads((model / "unet" / "config.json").read_text())
    return int(config.get("sample_size", 64)) * 8


def configure(args: argparse.Namespace) -> None:
    """Environment for the settings module, before Django starts."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CELERY_BROKER_URL"] = "memory://"  # the in-process worker's broker, whatever REDIS_URL says
    settings = {
        "GENERATION_DEVICE": args.device,
        "GENERATION_DTYPE": args.dtype,
        "GENERATION_STEPS": str(args.steps),
        "GENERATION_SIZE": str(args.size),
        "GENERATION_GUIDANCE_SCALE": str(args.guidance),
        "GENERATION_MAX_BATCH_SIZE": str(args.batch_size),
        "GENERATION_COMPILE": args.compile,
        "GENERATION_CHANNELS_LAST": args.channels_last,
        "GENERATION_ATTENTION": args.attention,
    }
    if args.model is not None:
        settings["GENERATION_MODEL_PATH"] = str(args.model)
    os.environ.update(settings)


def device_label(device: str) -> str:
    import torch

    if device.startswith("cuda"):
        return torch.cuda.get_device_name(torch.device(device))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{device} ({cores} cores)"


def sync(device: str) -> None:
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def free(device: str) -> None:
    gc.collect()
    if device.startswith("cuda"):
        import torch

        torch.cuda.empty_cache()


# -- the real path ---------------------------------------------------------------------------------


class Worker:
    """A real Celery worker (solo pool) on the in-memory broker, in a thread of this process, and
    the time it spends in each run_job task (Celery's task_prerun/task_postrun signals)."""

    def __init__(self) -> None:
        self.durations: list[float] = []
        self.cpu: list[float] = []  # CPU time of the worker thread per run_job
        self._started: dict[str, float] = {}
        self._cpu_started: dict[str, float] = {}
        self._stop = threading.Event()
        self._ready = threading.Event()

    def start(self) -> None:
        from celery.signals import task_postrun, task_prerun

        from config.celery import app

        app.conf.task_always_eager = False  # the test settings run tasks inline; here they queue

        @task_prerun.connect(weak=False)
        def before(task_id=None, task=None, **kwargs):
            if task is not None and task.name == "generation.tasks.run_job":
                self._started[task_id] = time.perf_counter()
                self._cpu_started[task_id] = time.thread_time()  # the solo pool runs the task in this thread

        @task_postrun.connect(weak=False)
        def after(task_id=None, task=None, **kwargs):
            started = self._started.pop(task_id, None)
            if started is not None:
                self.durations.append(time.perf_counter() - started)
                self.cpu.append(time.thread_time() - self._cpu_started.pop(task_id))

        def run():
            from celery.contrib.testing.worker import start_worker

            with start_worker(
                app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
                queues=["gpu", "default"], shutdown_timeout=30, hostname="bench-gpu-worker@localhost",
            ):
                self._ready.set()
                self._stop.wait()

        threading.Thread(target=run, name="bench-celery-worker", daemon=True).start()
        if not self._ready.wait(60):
            raise RuntimeError("the Celery worker did not start")

    def stop(self) -> None:
        self._stop.set()


def setup_database() -> None:
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # The worker thread and the submitter write the same file: wait for the lock, and take it
        # at BEGIN (a deferred transaction that upgrades to writing fails at once when another
        # writer holds it, whatever the timeout).
        db.setdefault("OPTIONS", {}).update(timeout=60, transaction_mode="IMMEDIATE")
    call_command("migrate", verbosity=0, interactive=False)


def reference_images(licence) -> list:
    import io

    from PIL import Image

    images = []
    for ref in licence.likeness.references.order_by("created_at")[:4]:
        with ref.image.open("rb") as fh:
            images.append(Image.open(io.BytesIO(fh.read())).convert("RGB"))
    return images


def submit_and_wait(licence, seeds: list[int], timeout: float) -> tuple[list, float, list[float]]:
    """Submit one brief per seed; wait until every job has finished. Returns (jobs, wall seconds,
    seconds per brief_submit)."""
    from generation import services
    from generation.models import GenerationJob

    submit_times = []
    briefs = []
    started = time.perf_counter()
    for seed in seeds:
        t = time.perf_counter()
        briefs.append(services.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=PROMPT.format(i=seed), seed=seed))
        submit_times.append(time.perf_counter() - t)
    jobs = GenerationJob.objects.filter(brief__in=briefs)
    last_change, last_done = time.monotonic(), -1
    while (done := jobs.filter(status__in=TERMINAL).count()) < len(briefs):
        if done != last_done:
            last_change, last_done = time.monotonic(), done
        elif time.monotonic() - last_change > timeout:
            raise RuntimeError(f"no job finished for {timeout:.0f} s: {list(jobs.values_list('status', flat=True))}")
        time.sleep(0.02)
    wall = time.perf_counter() - started
    return list(jobs.select_related("brief")), wall, submit_times


# -- the naive baseline -----------------------------------------------------------------------------


class Naive:
    """diffusers as a tutorial uses it: from_pretrained with default settings, one call per image."""

    def __init__(self, model_path: Path, device: str, ip_adapter, scale: float) -> None:
        import diffusers

        from generation.runtime.registry import model_index

        cls = getattr(diffusers, model_index(model_path)["_class_name"])
        import torch

        # float32 said explicitly: a folder saved in half precision would otherwise load its text
        # encoder in half (transformers' "auto") and the UNet in float32, and the call fails.
        self.pipe = cls.from_pretrained(str(model_path), torch_dtype=torch.float32, local_files_only=True).to(device)
        self.pipe.set_progress_bar_config(disable=True)
        self.uses_adapter = ip_adapter is not None
        if self.uses_adapter:
            folder, weight = ip_adapter
            self.pipe.load_ip_adapter(str(folder.parent), subfolder=folder.name, weight_name=weight, local_files_only=True)
            self.pipe.set_ip_adapter_scale(scale)
        self.device = device
        self.times: list[float] = []

    def __call__(self, *, prompt: str, seed: int, refs: list, steps: int, size: int, guidance: float, timed: bool = True):
        import torch

        kwargs = {"ip_adapter_image": [refs]} if self.uses_adapter and refs else {}
        started = time.perf_counter()
        image = self.pipe(
            prompt=prompt, num_inference_steps=steps, height=size, width=size, guidance_scale=guidance,
            generator=torch.Generator(self.device).manual_seed(seed), **kwargs,
        ).images[0]
        sync(self.device)
        if timed:
            self.times.append(time.perf_counter() - started)
        return image


# -- the runtime table -----------------------------------------------------------------------------


def lever_rows(base, refs, args, device: str) -> list[dict]:
    """Each speed lever alone against the defaults, then render_batch sizes, on the runtime directly.
    On a CPU (a shared, noisy machine) every runtime is loaded at once and the rows take turns image
    by image, so drift hits them alike; on a GPU they run one after another to bound memory. Rates
    are 1 / the best time per image over the row's images (best of N, as timeit does: on a shared
    machine the fastest run is the one least disturbed by others)."""
    from generation.runtime import RenderRequest, Runtime

    plain = dataclasses.replace(
        base, dtype="float32", attention="sdpa", channels_last="off", compile="off", preview_every=0, max_batch_size=64
    )
    rows = [
        ("defaults: float32, SDPA", plain, False),
        ("classic attention (no SDPA)", dataclasses.replace(plain, attention="eager"), False),
        ("bfloat16", dataclasses.replace(plain, dtype="bfloat16"), False),
        ("channels_last", dataclasses.replace(plain, channels_last="on"), False),
        ("tiny-VAE previews every 2 steps", dataclasses.replace(plain, preview_every=2), True),
    ]
    if device.startswith("cuda"):  # x86 CPUs have no fast float16 kernels: the CPU's half precision is bfloat16
        rows.insert(3, ("float16", dataclasses.replace(plain, dtype="float16"), False))
    if not args.no_compile_lever:
        rows.append(("torch.compile, regional", dataclasses.replace(plain, compile="regional"), False))
    rows.append(("platform configuration", dataclasses.replace(base, max_batch_size=64), False))
    batches = sorted({1, 2, 4, args.batch_size})
    n = args.lever_images
    times: dict[str, list[float]] = {}
    first: dict[str, float] = {}

    def timed(fn) -> float:
        started = time.perf_counter()
        fn()
        sync(device)
        return time.perf_counter() - started

    def jobs(label, rt, previews):
        """(name, per-image seconds) pairs for one round of this row."""
        on_preview = (lambda step, image: None) if previews else None
        out = [(label, lambda i: timed(lambda: rt.render(prompt=PROMPT.format(i=i), seed=i, reference_images=refs, on_preview=on_preview)))]
        if label == "platform configuration":
            for b in batches:
                def run(i, b=b):
                    reqs = [RenderRequest(prompt=PROMPT.format(i=i), seed=1000 * i + k, reference_images=refs) for k in range(b)]
                    return timed(lambda: rt.render_batch(reqs)) / b
                out.append((f"  render_batch of {b}", run))
        return out

    def load(label, config, previews):
        rt = Runtime(config)
        on_preview = (lambda step, image: None) if previews else None
        first[label] = timed(lambda: rt.render(prompt="warm up", seed=999, reference_images=refs, on_preview=on_preview))
        for name, fn in jobs(label, rt, previews)[1:]:
            fn(10_000)  # warm each batch shape
        return rt

    if device.startswith("cuda"):
        for label, config, previews in rows:
            rt = load(label, config, previews)
            for name, fn in jobs(label, rt, previews):
                times[name] = [fn(i) for i in range(n)]
            del rt
            free(device)
    else:
        loaded = [(label, load(label, config, previews), previews) for label, config, previews in rows]
        for i in range(n):
            order = loaded if i % 2 == 0 else loaded[::-1]
            for label, rt, previews in order:
                for name, fn in jobs(label, rt, previews):
                    times.setdefault(name, []).append(fn(i))
        del loaded
        free(device)

    out = []
    base_rate = 1 / min(times[rows[0][0]])
    for name, samples in times.items():
        rate = 1 / min(samples)
        out.append({"row": name.strip(), "images_per_s": rate, "vs_defaults": rate / base_rate, "first_call_s": first.get(name)})
        warm = f"   first call {first[name]:6.2f} s" if name in first else ""
        print(f"  {name:<36} {rate:8.2f} img/s  {rate / base_rate:5.2f}x{warm}", flush=True)
    return out


# -- main ------------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    if args.requests < 2 or not 1 <= args.rounds <= args.requests:
        raise SystemExit("--requests must be at least 2, and --rounds from 1 to --requests")
    if args.build:
        import torch

        from generation.runtime import build_random_model

        build_device = "cuda" if torch.cuda.is_available() and args.device != "cpu" else "cpu"
        print(f"building random-weight {args.build} into var/models/random-{args.build} on {build_device} …", flush=True)
        args.model = build_random_model(ROOT / "var" / "models" / f"random-{args.build}", args.build, device=build_device)
    args.size = args.size or native_size(args.model)
    configure(args)

    import django

    django.setup()
    import logging

    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    logging.getLogger("kombu.connection").setLevel(logging.ERROR)  # "memory://" has no hostname, by design
    diffusers_logging.set_verbosity_error()
    diffusers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()

    from generation import config
    from generation.runtime import registry
    from tests.factories import granted_licence

    n = args.requests
    setup_started = time.perf_counter()
    setup_database()
    import cv2

    if not hasattr(cv2, "CascadeClassifier"):  # a GPU image whose OpenCV lacks the Haar cascades
        from licensing import faces

        faces.count_faces = lambda frame: 1
        print("note: this machine's OpenCV has no Haar cascades; the set-up licence's liveness face check is skipped "
              "(set-up only, not part of what is measured)", flush=True)
    licence = granted_licence(quota=2 * n + 10)
    refs = reference_images(licence)
    rt = config.runtime()
    device = rt.device
    label = device_label(device)
    rt.warm_up(batch_sizes=sorted({1, min(args.batch_size, n)}))
    worker = Worker()
    worker.start()
    # one brief through the whole path first: loads the screening model, the signer, the worker's
    # first-use state; not measured
    submit_and_wait(licence, [10_000], timeout=300)
    print(f"setup {time.perf_counter() - setup_started:.1f} s; model {rt.model_name} ({rt.pipeline_class}, "
          f"{rt.scheduler_class}) on {label}; {args.size}x{args.size}, {args.steps} steps; "
          f"likeness via {rt.likeness_mode} ({len(refs)} reference image(s)); dtype {rt.levers.dtype}, "
          f"attention {rt.levers.attention}, channels_last {rt.levers.channels_last}, compile {rt.levers.compile}", flush=True)

    ip_adapter = None
    if rt.likeness_mode == "ip_adapter":
        ip_adapter = registry.find_ip_adapter(rt.model_path, rt.config.ip_adapter_path, rt.config.ip_adapter_weight_name)
    naive = Naive(rt.model_path, device, ip_adapter, rt.config.ip_adapter_scale)
    naive(prompt="warm up", seed=999, refs=refs, steps=args.steps, size=args.size, guidance=args.guidance, timed=False)

    # Naive and platform take turns (args.rounds each), so drift on a shared machine hits both.
    seeds = list(range(n))
    rounds = [seeds[r::args.rounds] for r in range(args.rounds)]
    before = rt.stats_snapshot()
    from generation import postprocess

    post_before = dict(postprocess.stats)
    while not worker.durations:  # the warm-up's run_job has returned
        time.sleep(0.02)
    worker.durations.clear()
    worker.cpu.clear()
    wall, submit_times, jobs = 0.0, [], []
    naive_cpu, platform_cpu = 0.0, 0.0  # this process's CPU time (every thread) on each side
    expected = 0  # run_job messages sent so far
    for chunk in rounds:
        cpu = time.process_time()
        for i in chunk:
            naive(prompt=PROMPT.format(i=i), seed=i, refs=refs, steps=args.steps, size=args.size, guidance=args.guidance)
        naive_cpu += time.process_time() - cpu
        cpu = time.process_time()
        done, seconds, submits = submit_and_wait(licence, [100 + i for i in chunk], timeout=300)
        # every brief sent one run_job message; those whose job another's batch took run after the
        # last image is out: wait for them here, so their CPU counts on this side (not the naive one's)
        expected += len(chunk)
        deadline = time.monotonic() + 120
        while len(worker.durations) < expected and time.monotonic() < deadline:
            time.sleep(0.02)
        postprocess.drain()
        platform_cpu += time.process_time() - cpu
        jobs += done
        wall += seconds
        submit_times += submits
    after = rt.stats_snapshot()
    postprocess.drain()
    post_s = postprocess.stats["seconds"] - post_before["seconds"]
    post_cpu_s = postprocess.stats["cpu_seconds"] - post_before["cpu_seconds"]
    post_batches = postprocess.stats["batches"] - post_before["batches"]
    worker.stop()
    released = sum(1 for j in jobs if j.status in ("released", "awaiting_approval") and j.output_sha256)
    naive_times = list(naive.times)
    del naive
    free(device)

    pipeline_s = after.pipeline_seconds - before.pipeline_seconds
    callbacks_s = after.callback_seconds - before.callback_seconds
    calls = after.pipeline_calls - before.pipeline_calls
    images = after.images - before.images
    pure_pipeline_s = pipeline_s - callbacks_s
    job_s = sum(worker.durations)
    overhead = 100.0 * (job_s - pure_pipeline_s) / job_s if job_s else float("nan")
    platform_ms = 1000.0 * (job_s - pure_pipeline_s) / n
    # the same in CPU time of the worker thread: its run_job tasks minus what it spent inside the
    # pipeline calls other than the step callbacks
    pure_pipeline_cpu = ((after.pipeline_thread_cpu_seconds - before.pipeline_thread_cpu_seconds)
                         - (after.callback_thread_cpu_seconds - before.callback_thread_cpu_seconds))
    # plus the post-processing thread's CPU (marking, signing, storing beside the next render)
    platform_cpu_ms = 1000.0 * (sum(worker.cpu) - pure_pipeline_cpu + post_cpu_s) / n
    platform_rate = n / wall
    naive_rate = len(naive_times) / sum(naive_times)
    ratio = platform_rate / naive_rate

    print()
    print(f"naive: {len(naive_times)} plain pipe() calls, float32, defaults, one at a time")
    print(f"  {naive_rate:.2f} img/s   median {1000 * statistics.median(naive_times):.0f} ms per image")
    print(f"platform: {n} briefs → policy → queue → Celery worker → job_run (render, watermark, C2PA, storage)")
    print(f"  {platform_rate:.2f} img/s   {released}/{n} released with a signed output, wall {wall:.2f} s")
    print(f"  worker time {job_s:.2f} s in {len(worker.durations)} run_job tasks; pipeline calls {calls} for {images} images "
          f"({images / calls if calls else 0:.1f} per call); inside them {pure_pipeline_s:.2f} s denoising/decoding "
          f"+ {callbacks_s:.2f} s step callbacks (progress, cancellation checks)")
    print(f"  submitting (brief_submit: policy, screening, quota; web process): median "
          f"{1000 * statistics.median(submit_times):.0f} ms per brief")
    if calls and images / calls <= 1.0:
        print(f"  one image per pipeline call: job claiming is not wired to render_batch yet (--batch-size {args.batch_size} "
              "takes effect once it is); the runtime table shows what render_batch gives")
    if post_batches:
        print(f"  post-processing thread (mark, sign, store beside the next render): {post_s:.2f} s for {post_batches} batches "
              f"({post_cpu_s:.2f} s of its CPU)")
    print(f"  platform: {platform_ms:.0f} ms per image, {overhead:.1f}% of worker job time is not the pipeline call "
          f"(wall-clock view: GPU idle {100 * (1 - pure_pipeline_s / wall):.1f}% of the run)")
    print(f"  process CPU time per image (every thread): naive {1000 * naive_cpu / len(naive_times):.0f} ms, "
          f"platform {1000 * platform_cpu / n:.0f} ms (submitting, worker, post-processing, polling): "
          f"{naive_cpu / len(naive_times) / (platform_cpu / n):.2f}x in CPU terms")
    print(f"  platform in CPU time of the worker thread (and the post-processing thread): {platform_cpu_ms:.0f} ms per image "
          f"(the wall-clock figure stretches with the machine's load: {os.getloadavg()[0]:.1f} now)")

    levers = []
    if args.lever_images > 0:
        print()
        print(f"runtime alone (no Django): each lever against the defaults, likeness path, batch 1 unless said, "
              f"best of {args.lever_images} per row, rows taking turns:")
        levers = lever_rows(rt.config, refs, args, device)

    if args.json:
        args.json.write_text(json.dumps({
            "device": label, "model": rt.model_name, "size": args.size, "steps": args.steps, "requests": n,
            "naive_images_per_s": naive_rate, "platform_images_per_s": platform_rate, "ratio": ratio,
            "overhead_percent": overhead, "platform_ms_per_image": platform_ms, "platform_cpu_ms_per_image": platform_cpu_ms, "postprocess_seconds": post_s, "postprocess_cpu_seconds": post_cpu_s,
            "naive_cpu_ms_per_image": 1000 * naive_cpu / len(naive_times), "platform_process_cpu_ms_per_image": 1000 * platform_cpu / n, "pipeline_calls": calls, "images": images, "released": released,
            "worker_seconds": job_s, "pipeline_seconds": pure_pipeline_s, "callback_seconds": callbacks_s,
            "submit_ms_median": 1000 * statistics.median(submit_times), "levers": levers,
        }, indent=2))
    print()
    print(f"generation: {ratio:.2f}x naive throughput on {label}; platform {platform_ms:.0f} ms per image ({overhead:.1f}%)")


if __name__ == "__main__":
    main()
