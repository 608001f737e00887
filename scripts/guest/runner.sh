#!/bin/bash
# Install runner: started by cloud-init (runcmd) from the builder's user_data bundle.
# Runs the plan's steps in order as root, reports each on the serial console, then (build
# mode) sanitizes and self-checks, writes the result line and powers the machine off.
set -u
IF_HOME="${IF_HOME:-/var/lib/image-factory}"
# shellcheck source=protocol.sh
. "$IF_HOME/protocol.sh"

plan="$IF_HOME/plan.tsv"
mode=$(awk -F'\t' '$1=="mode"{print $2}' "$plan")
total=$(awk -F'\t' '$1=="step"' "$plan" | wc -l)
if_emit event begin mode "$mode" steps "$total"

finish() {
  if_emit event result "$@"
  [ "${IF_NO_POWEROFF:-}" = 1 ] || { sync; systemctl poweroff --no-wall 2>/dev/null || poweroff -f; }
  exit 0
}

while IFS=$'\t' read -r kind index name timeout script; do
  [ "$kind" = step ] || continue
  step="$index/$total"
  if_emit event step step "$step" name "$name" status start
  # Place the step's files first.
  while IFS=$'\t' read -r fkind findex src dest fmode; do
    [ "$fkind" = file ] && [ "$findex" = "$index" ] || continue
    install -D -m "$fmode" "$IF_HOME/$src" "$dest"
  done <"$plan"
  log="$IF_HOME/logs/$index.log"
  mkdir -p "$IF_HOME/logs"
  start=$SECONDS
  timeout --kill-after=30 "$timeout" bash "$IF_HOME/$script" >"$log" 2>&1 </dev/null
  rc=$?
  secs=$((SECONDS - start))
  if [ $rc -ne 0 ]; then
    status=fail; [ $rc -eq 124 ] && status=timeout
    if_emit event step step "$step" name "$name" status "$status" exit "$rc" seconds "$secs"
    tail -n 20 "$log" | while IFS= read -r l; do if_emit event log step "$step" text "$l"; done
    finish result failure step "$step" reason "step $name $status (exit $rc)"
  fi
  if_emit event step step "$step" name "$name" status ok seconds "$secs"
done <"$plan"

finish result success
