#!/usr/bin/env bash
# One call on a GPU machine (the `run` device tool): install the wheels carried in .whl (what the
# machine's image lacks: Django, Celery, diffusers, c2pa-python, ...; fetched beforehand with
# `pip download --python-version 3.12 ...` into .whl, which .gitignore keeps out of the repo),
# build the full-size SD-Turbo architecture with random weights on the GPU, and run
# benchmarks/generation.py on cuda. Logs and the JSON figures go to $OUT.
#
#   bash benchmarks/gpu_run.sh                          # on the GPU machine
#   SKIP_INSTALL=1 BENCH_ARGS="--requests 4 --lever-images 0" bash benchmarks/gpu_run.sh   # the logic, on a CPU
set -uo pipefail
OUT=${OUT:-/tmp/rightscast-gpu-out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 CONTENT_SCREENING_SEMANTIC=0 HF_HUB_OFFLINE=1
export RIGHTSCAST_VAR_DIR=${RIGHTSCAST_VAR_DIR:-/tmp/rightscast-var}
rm -rf "$RIGHTSCAST_VAR_DIR" "$RIGHTSCAST_VAR_DIR-inline"  # a fresh database each call (a warm machine keeps /tmp)
mkdir -p "$RIGHTSCAST_VAR_DIR" "$RIGHTSCAST_VAR_DIR-inline"
PY=${PY:-python3}
WHEELS=${WHEELS:-.whl}
if [ -z "${SKIP_INSTALL:-}" ] && [ -d "$WHEELS" ]; then
  t0=$(date +%s)
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$WHEELS"/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD
  echo "wheels installed in $(( $(date +%s) - t0 )) s" | tee "$OUT/setup.txt"
else
  export PYTHONPATH=$PWD
fi
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>/dev/null || echo "no nvidia-smi"; } | tee -a "$OUT/setup.txt"
$PY -c "import torch, transformers, diffusers, django; print('torch', torch.__version__, 'transformers', transformers.__version__, 'diffusers', diffusers.__version__, 'django', django.__version__, 'cuda', torch.cuda.is_available() and torch.cuda.get_device_name(0))" 2>&1 | tee -a "$OUT/setup.txt"
ARGS=${BENCH_ARGS:---build sd-turbo --device cuda --size 512 --steps 4 --requests 64 --batch-size 8 --rounds 1 --lever-images 0}
# shellcheck disable=SC2086
$PY benchmarks/generation.py $ARGS --json "$OUT/generation.json" 2>&1 | grep -v "Loading weights" | tee "$OUT/generation.log"
rc=${PIPESTATUS[0]}
if [ "$rc" != 0 ]; then  # one more try without the post-processing thread, so a failure there still leaves figures
  echo "exit $rc; again with GENERATION_POSTPROCESS_THREAD=off" | tee -a "$OUT/generation.log"
  # shellcheck disable=SC2086
  GENERATION_POSTPROCESS_THREAD=off RIGHTSCAST_VAR_DIR="$RIGHTSCAST_VAR_DIR-inline" $PY benchmarks/generation.py $ARGS --json "$OUT/generation-inline.json" 2>&1 | grep -v "Loading weights" | tee "$OUT/generation-inline.log"
  rc=${PIPESTATUS[0]}
fi
if [ -n "${THEN_ARGS:-}" ]; then  # a second model in the same call (a fresh database)
  rm -rf "$RIGHTSCAST_VAR_DIR"; mkdir -p "$RIGHTSCAST_VAR_DIR"
  # shellcheck disable=SC2086
  $PY benchmarks/generation.py $THEN_ARGS --json "$OUT/generation-2.json" 2>&1 | grep -v "Loading weights" | tee "$OUT/generation-2.log"
  rc2=${PIPESTATUS[0]}; [ "$rc" = 0 ] && rc=$rc2
fi
exit "$rc"
