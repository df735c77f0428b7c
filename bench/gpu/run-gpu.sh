#!/usr/bin/env bash
# The GPU run of the kit (docs/testing.md, "On a real GPU"): runs on the GPU machine, from the project root, as
#   bash .gpu/run.sh bash .gpu/app/run-gpu.sh "$OUT"
# (run.sh unpacks node and Dawn and points Vulkan at the NVIDIA driver; scripts/gpu-kit.sh put this file, the Node
# bench bundle, the layer lists, ORT's wasm and gemm-ceiling.mjs into .gpu/app). In one go, each step under its
# own timeout so the whole stays within about 9 minutes, writing into OUT (7 files, no folders):
#   info.json          device, driver, clocks, date, node version
#   suite-native.json  the bench in Node on the public layers (bench/layers.json): every implementation
#   suite-scaled.json  the same on layers-scaled.json (batches for a big GPU, refN references)
#   suite-models.json  the same on layers-models.json (bench/layers-models.json: layers of real models, batch 1)
#   cudnn.json         PyTorch/cuDNN ConvTranspose2d on the three lists (cudnn_anchor.py)
#   gemm.jsonl         a textbook tiled SGEMM through WebGPU (gemm-ceiling.mjs), a yardstick
#   run.log            everything the steps printed
# Then, back on the development machine: node scripts/gpu-report.mjs OUT_FILES_DIR (writes bench/RESULTS-GPU.md).
# The timeouts (seconds) can be changed: T_NATIVE, T_SCALED, T_MODELS, T_CUDNN, T_GEMM; STEPS picks steps (default
# "native scaled models cudnn gemm", e.g. STEPS="models cudnn" for the real-model layers alone).
set -uo pipefail
out=${1:?usage: run-gpu.sh OUT_DIR}
T_NATIVE=${T_NATIVE:-140} T_SCALED=${T_SCALED:-190} T_MODELS=${T_MODELS:-110} T_CUDNN=${T_CUDNN:-60} T_GEMM=${T_GEMM:-45}
STEPS=" ${STEPS:-native scaled models cudnn gemm} "
want() { [[ "$STEPS" == *" $1 "* ]]; }
app=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gpu=$(dirname "$app")
mkdir -p "$out" && out=$(cd "$out" && pwd)
log="$out/run.log"
exec > >(tee -a "$log") 2>&1
start=$(date +%s)
step() { echo "== [$(( $(date +%s) - start )) s] $*"; }

step "info"
smi=$(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,pstate --format=csv,noheader 2>/dev/null | head -1)
IFS=',' read -r name driver memory sm maxsm pstate <<< "${smi:-unknown,unknown,,,,}"
trim() { sed 's/^ *//; s/ *$//' <<< "$1"; }
cat > "$out/info.json" <<EOF
{ "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "gpu": "$(trim "$name")", "driver": "$(trim "$driver")",
  "memory": "$(trim "$memory")", "clockSmMHz": "$(trim "$sm")", "clockSmMaxMHz": "$(trim "$maxsm")", "pstate": "$(trim "$pstate")",
  "node": "$(node --version)", "vulkanIcd": "${VK_ICD_FILENAMES:-}" }
EOF
cat "$out/info.json"

ort=()
if [ -f "$app/ort-wasm.xz" ]; then
  xz -d -c "$app/ort-wasm.xz" > /tmp/ort-wasm-simd-threaded.asyncify.wasm && ort=(--ort-wasm /tmp/ort-wasm-simd-threaded.asyncify.wasm)
fi

# The bench: every implementation, layers only; the JSON is rewritten after every layer, so a timeout keeps
# what was measured.
bench() { # name, timeout, layers file
  step "bench --node, $1 layers"
  (cd "$app" && timeout "$2" node bench-node.mjs --layers-file "$3" --no-models ${ort[@]+"${ort[@]}"} --json "$out/suite-$1.json")
  echo "exit $?"
}
want native && bench native $T_NATIVE layers.json
want scaled && bench scaled $T_SCALED layers-scaled.json
want models && bench models $T_MODELS layers-models.json

if want cudnn; then
  step "cuDNN anchor"
  timeout $T_CUDNN python3 "$gpu/cudnn_anchor.py" "$app/layers.json" "$app/layers-scaled.json" "$app/layers-models.json" > "$out/cudnn.json"
  echo "exit $?"
fi

if want gemm && [ -f "$app/gemm-ceiling.mjs" ]; then
  step "gemm-ceiling.mjs"
  (cd "$app" && timeout $T_GEMM node gemm-ceiling.mjs) > "$out/gemm.jsonl"
  echo "exit $?"
fi
nvidia-smi --query-gpu=clocks.sm,clocks.max.sm,pstate,temperature.gpu,power.draw --format=csv 2>/dev/null || true
step "done"
