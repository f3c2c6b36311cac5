#!/usr/bin/env bash
# Reproduces BENCHMARKS.md in one go: builds Release, installs the default model pack if it is
# missing and imports YuNet from ../shared/models (so the hybrid pack is measured too; yunet-sface is
# measured where its SFace weights are installed), runs the bench's `lfw` for every installed pack,
# `stages` and `packs` (face-api as the reference: needs node and npm;
# its packages are cached in ~/.cache/intelliface/bench-faceapi) and rewrites BENCHMARKS.md at the
# repository root and bench/lfw-roc.png. About 20 minutes on 2 cores. Models: $INTELLIFACE_MODELS (default: per-user cache).
# Extra arguments go to the bench, e.g. ./bench/run.sh --passes 10 --reference-runs 5
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/IntelliFace.Cli -c Release --nologo -v quiet
dotnet build bench/IntelliFace.Bench -c Release --nologo -v quiet
dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll models install >/dev/null
dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll models import ../shared/models/face_detection_yunet_2023mar.onnx >/dev/null
dotnet bench/IntelliFace.Bench/bin/Release/net10.0/IntelliFace.Bench.dll report --command-text "./bench/run.sh${*:+ $*}" "$@"
