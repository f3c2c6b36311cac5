#!/usr/bin/env bash
# Runs the whole test suite: builds, installs the default model pack if it is missing, runs xunit.
# Tests read photos, goldens and reference models from ../shared.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build IntelliFace.slnx -c Release --nologo -v quiet
dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll models install >/dev/null
dotnet test IntelliFace.slnx -c Release --no-build --nologo "$@"
