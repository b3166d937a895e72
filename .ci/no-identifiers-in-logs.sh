#!/usr/bin/env bash
# Fails when any synthetic fødselsnummer or D-nummer of the test data appears in the given log files
# (the whole test run's output): the service must never log personal identifiers.
set -euo pipefail
cd "$(dirname "$0")/.."
numbers=$(grep -rhoE '(<Id>|"value": ")[0-9]{11}' test-data | grep -oE '[0-9]{11}' | sort -u)
[ -n "$numbers" ] || { echo "no identity numbers found in test-data"; exit 1; }
found=0
for n in $numbers; do
  if grep -q "$n" "$@"; then echo "!! $n appears in the logs"; found=1; fi
done
echo "checked $(echo "$numbers" | wc -l) identity numbers against $# log file(s)"
exit $found
