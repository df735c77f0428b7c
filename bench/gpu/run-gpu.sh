#!/usr/bin/env bash
# The GPU run of the kit (docs/testing.md, "On a real GPU"): runs on the GPU machine, from the project root, as
#   bash .gpu/run.sh bash .gpu/app/run-gpu.sh "$OUT"
# (run.sh unpacks node and Dawn and points Vulkan at the NVIDIA driver; scripts/gpu-kit.sh put this file, the Node
# bench bundle, the layer lists, ORT's wasm and gemm-ceiling.mjs into .gpu/app). In one go, each step under its
# own timeout so the whole stays within about 8 minutes, writing into OUT (6 files, no folders):
#   info.json          device, driver, clocks, date, node version
#   suite-native.json  the bench in Node on the public layers (bench/layers.json): every implementation
#   suite-scaled.json  the same on layers-scaled.json (batches for a big GPU, refN references)
#   cudnn.json         PyTorch/cuDNN ConvTranspose2d on both lists (cudnn_anchor.py)
#   gemm.jsonl         a textbook tiled SGEMM through WebGPU (gemm-ceiling.mjs), a yardstick
#   run.log            everything the steps printed
# Then, back on the development machine: node scripts/gpu-report.mjs OUT_FILES_DIR (writes bench/RESULTS-GPU.md).
# The timeouts (seconds) can be changed: T_NATIVE, T_SCALED, T_CUDNN, T_GEMM.
set -uo pipefail
out=${1:?usage: run-gpu.sh OUT_DIR}
T_NATIVE=${T_NATIVE:-150} T_SCALED=${T_SCALED:-230} T_CUDNN=${T_CUDNN:-60} T_GEMM=${T_GEMM:-45}
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
step "bench --node, native layers"
(cd "$app" && timeout $T_NATIVE node bench-node.mjs --layers-file layers.json --no-models ${ort[@]+"${ort[@]}"} --json "$out/suite-native.json")
echo "exit $?"
step "bench --node, scaled layers"
(cd "$app" && timeout $T_SCALED node bench-node.mjs --layers-file layers-scaled.json --no-models ${ort[@]+"${ort[@]}"} --json "$out/suite-scaled.json")
echo "exit $?"

step "cuDNN anchor"
timeout $T_CUDNN python3 "$gpu/cudnn_anchor.py" "$app/layers.json" "$app/layers-scaled.json" > "$out/cudnn.json"
echo "exit $?"

if [ -f "$app/gemm-ceiling.mjs" ]; then
  step "gemm-ceiling.mjs"
  (cd "$app" && timeout $T_GEMM node gemm-ceiling.mjs) > "$out/gemm.jsonl"
  echo "exit $?"
fi
nvidia-smi --query-gpu=clocks.sm,clocks.max.sm,pstate,temperature.gpu,power.draw --format=csv 2>/dev/null || true
step "done"
