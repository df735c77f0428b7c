#!/usr/bin/env bash
# Prepares the GPU run (docs/testing.md, "On a real GPU"): builds the Node bench into one file, checks it here
# on SwiftShader on one small layer, and packs it with ../shared/gpu/pack.sh into .gpu/ at the project root,
# together with the layer lists (bench/layers.json, bench/layers-models.json, layers-scaled.json), bench/gpu/run-gpu.sh, ORT's wasm (xz'd) and gemm-ceiling.mjs.
#
#   bash scripts/gpu-kit.sh            (GPU_SHARED=DIR to take pack.sh and layers-scaled.json from elsewhere)
#
# Then on the GPU machine, from the project root with .gpu/ beside it:
#   bash .gpu/run.sh bash .gpu/app/run-gpu.sh "$OUT"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
shared=${GPU_SHARED:-$root/../shared/gpu}
[ -f "$shared/pack.sh" ] || { echo "gpu-kit.sh: no pack.sh in $shared (set GPU_SHARED)"; exit 1; }
npm run --silent bench:node-bundle
wasm=node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm
[ .bench-out/ort-wasm.xz -nt "$wasm" ] || xz -T2 -6 -c "$wasm" > .bench-out/ort-wasm.xz
# What run-gpu.sh expects beside it, under these names.
stage=.bench-out/gpu-kit
rm -rf "$stage" && mkdir -p "$stage"
cp .bench-out/bench-node.mjs .bench-out/ort-wasm.xz bench/gpu/run-gpu.sh "$stage/"
cp bench/layers.json "$stage/layers.json"
cp bench/layers-models.json "$stage/layers-models.json"
cp "$shared/layers-scaled.json" "$stage/layers-scaled.json"
[ -f "$shared/gemm-ceiling.mjs" ] && cp "$shared/gemm-ceiling.mjs" "$stage/"
# The bundle as run-gpu.sh runs it, here on SwiftShader: one small scaled layer, two rounds.
tiny='{"layers":[{"name":"kit-check","N":4,"Cin":8,"Cout":8,"H":6,"W":6,"k":[4,4],"s":[2,2],"p":[1,1],"op":[0,0],"d":[1,1],"g":1,"refN":2}]}'
echo "$tiny" > .bench-out/kit-check.json
(cd .bench-out && LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
  node gpu-kit/bench-node.mjs --layers-file kit-check.json --no-models --impls auto,tfjs-webgpu --rounds minRounds=2,minMs=0,maxRounds=2 > /dev/null)
bash "$shared/pack.sh" "$stage"/*
