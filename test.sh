#!/usr/bin/env bash
# Runs the whole test suite: builds, installs the model packs the tests use if they are missing, runs xunit.
# Tests read photos, goldens and reference models from ../shared.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build IntelliFace.slnx -c Release --nologo -v quiet
# The default pack (face-api's files from npm, YuNet imported from ../shared/models, the tests' reference copy) and
# faceapi-dlib, the pack the end-to-end tests pin their figures on.
intelliface() { dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll "$@"; }
intelliface models install --from ../shared/models >/dev/null
intelliface models install faceapi-dlib >/dev/null
dotnet test IntelliFace.slnx -c Release --no-build --nologo "$@"
