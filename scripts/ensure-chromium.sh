#!/usr/bin/env bash
# Makes sure Debian's Chromium and its ChromeDriver are installed, for the node's browser test of the
# dashboard (DashboardBrowserTest). The build runs this before the node's tests, as it runs npm for
# anvil: on a machine that has both it does nothing; as root it installs them with apt-get; otherwise
# it stops and says what to install.
set -euo pipefail

chromium=/usr/bin/chromium
driver=/usr/bin/chromedriver

if [ -x "$chromium" ] && [ -x "$driver" ]; then
    echo "chromium: $("$chromium" --version 2>/dev/null || echo "$chromium"); chromedriver present"
    exit 0
fi

missing="chromium and chromium-driver ($chromium, $driver)"
if [ "$(id -u)" -ne 0 ]; then
    cat >&2 <<MSG
The node's browser test needs Debian's $missing.
Install them once as root:
    sudo apt-get update && sudo apt-get install -y chromium chromium-driver
(then run the build again), or leave the tests out with -DskipTests.
MSG
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "The node's browser test needs $missing and this machine has no apt-get: install Chromium and a matching ChromeDriver at those paths." >&2
    exit 1
fi

echo "Installing $missing with apt-get (once per machine)"
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (e.g. unattended upgrades) instead of failing on its lock.
apt-get -o DPkg::Lock::Timeout=600 update
apt-get -o DPkg::Lock::Timeout=600 install -y chromium chromium-driver
"$chromium" --version
"$driver" --version
