#!/usr/bin/env bash
# Reproduces BENCHMARKS.md in one go: builds Release, installs the default model pack if it is
# missing and imports YuNet from ../shared/models (so the hybrid pack is measured too; yunet-sface is
# measured where its SFace weights are installed), runs the bench's `lfw` for every installed pack,
# `stages` and `packs` (face-api as the reference: needs node and npm;
# its packages are cached in ~/.cache/intelliface/bench-faceapi) and rewrites BENCHMARKS.md at the
# repository root and bench/lfw-roc.png. About 20 minutes on 2 cores. Models: $INTELLIFACE_MODELS (default: per-user cache).
# Extra arguments go to the bench, e.g. ./bench/run.sh --passes 10 --reference-runs 5
# The sections of the vault and HTTP benchmarks are kept as they are; they are measured on their own.
#
# ./bench/run.sh http [--seconds 15 --warm-up 3 --cli-runs 10 --lfw-gallery 87] measures only the HTTP service
# (intelliface serve on loopback, 1/8/32 clients, against the in-process call and the CLI per request) and
# replaces only its section of BENCHMARKS.md. About 5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/IntelliFace.Cli -c Release --nologo -v quiet
dotnet build bench/IntelliFace.Bench -c Release --nologo -v quiet
dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll models install >/dev/null
bench=bench/IntelliFace.Bench/bin/Release/net10.0/IntelliFace.Bench.dll
if [[ "${1:-}" == http ]]; then
  shift
  exec dotnet "$bench" http --command-text "./bench/run.sh http${*:+ $*}" "$@"
fi
dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll models import ../shared/models/face_detection_yunet_2023mar.onnx >/dev/null
dotnet "$bench" report --command-text "./bench/run.sh${*:+ $*}" "$@"
