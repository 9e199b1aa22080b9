#!/usr/bin/env sh
# Put Annotator in the desktop's application menu and make .annotator files open with it,
# for the current user (XDG_DATA_HOME, default ~/.local/share). Safe to run again.
#
#   sh packaging/linux/install-desktop.sh                 # runs `annotator-gui` from PATH (pipx / pip install)
#   sh packaging/linux/install-desktop.sh /opt/annotator/annotator-gui   # a bundle's program
#
# Uninstall: delete the files it names, then run update-desktop-database and update-mime-database.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
icons="$here/../../resources/icons/app"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
id=io.github.annotator.Annotator
program="${1:-annotator-gui}"

mkdir -p "$data/applications" "$data/metainfo" "$data/mime/packages"
sed -e "s|^Exec=annotator-gui|Exec=$program|" -e "s|^TryExec=annotator-gui|TryExec=$program|" \
  "$here/$id.desktop" > "$data/applications/$id.desktop"
cp "$here/$id.metainfo.xml" "$data/metainfo/"
cp "$here/$id.mime.xml" "$data/mime/packages/$id.xml"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$icons/annotator-$size.png" "$data/icons/hicolor/${size}x${size}/apps/$id.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$icons/annotator.svg" "$data/icons/hicolor/scalable/apps/$id.svg"

command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "install-desktop: $data/applications/$id.desktop (Exec=$program %f), the project type *.annotator, icons"
