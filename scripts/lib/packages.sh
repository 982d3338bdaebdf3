# Installs the Debian packages of scripts/debian-packages.txt that are missing. Sourced by
# scripts/test and scripts/demo. Installs nothing when everything is present.
opcat_install_packages() {
  local list="$1"
  local missing=()
  local pkg
  while read -r pkg; do
    pkg="${pkg%%#*}"
    pkg="${pkg//[[:space:]]/}"
    [ -n "$pkg" ] || continue
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != "installed" ]; then
      missing+=("$pkg")
    fi
  done < "$list"
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "packages: all $(grep -cv '^\s*\(#\|$\)' "$list") present"
    return 0
  fi
  echo "packages: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing packages and not root; run as root or: apt-get install ${missing[*]}" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}
