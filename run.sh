#!/usr/bin/env bash
# The main job on a fresh clone: restore and build, install the default model pack, then enroll every
# photo of FOLDER (subject = sub-folder name, or file name without a trailing _NNNN) into tenant
# "demo" and list the subjects. Data goes to $INTELLIFACE_DATA (default: a per-user data folder).
set -euo pipefail
folder="${1:?usage: ./run.sh FOLDER_OF_PHOTOS}"
[ -d "$folder" ] || { echo "run.sh: there is no folder '$folder'" >&2; exit 2; }
folder="$(cd "$folder" && pwd)"
cd "$(dirname "$0")"
dotnet build IntelliFace.slnx -c Release --nologo -v quiet
intelliface() { dotnet src/IntelliFace.Cli/bin/Release/net10.0/intelliface.dll "$@"; }
# Model files in ../shared/models, when that folder is there, are imported (hash checked) instead of downloaded.
if [ -d ../shared/models ]; then intelliface models install --from ../shared/models; else intelliface models install; fi
# Exit code 1 means some photos were refused (no face, several faces, ...): listed above, not fatal.
status=0
intelliface enroll --tenant demo --from-folder "$folder" || status=$?
[ "$status" -le 1 ] || exit "$status"
intelliface subjects list --tenant demo
