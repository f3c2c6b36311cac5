#!/usr/bin/env bash
# The main job on a fresh clone: restore and build, install the default model pack, then enroll every
# photo of FOLDER (subject = sub-folder name, or file name without a trailing _NNNN) into tenant
# "demo" and list the subjects. Data goes to $INTELLIFACE_DATA (default: a per-user data folder).
set -euo pipefail
cd "$(dirname "$0")"
folder="${1:?usage: ./run.sh FOLDER_OF_PHOTOS}"
dotnet build IntelliFace.slnx -c Release --nologo -v quiet
intelliface() { dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll "$@"; }
intelliface models install
intelliface enroll --tenant demo --from-folder "$folder" || echo "(some photos were refused; see above)"
intelliface subjects list --tenant demo
