#!/bin/bash
# Install runner, started by cloud-init (runcmd) from the builder's user_data bundle.
# Runs the plan's steps in order as root, reports them on the serial console (protocol.sh),
# then in build mode sanitizes, self-checks, reports the result and powers the machine off; in
# test mode (the captured image's first boot) it audits the image again before the test steps.
# Never `set -x` or dump the environment: the console is readable by whoever reads the build.
#
# Environment (tests): IF_HOME (plan and scripts), IF_CONSOLE (protocol output file),
# IF_NO_POWEROFF=1, IF_FOREGROUND=1 (do not detach), IF_ROOT (sanitize and self-check this
# tree instead of /), IF_WORK (scratch dir surviving sanitize), IF_LOCKS, IF_LOCK_WAIT (seconds).
set -u
umask 077
IF_HOME="${IF_HOME:-/var/lib/image-factory}"
IF_ROOT="${IF_ROOT:-}"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck source=protocol.sh disable=SC1091
. "$IF_HOME/protocol.sh"
plan="$IF_HOME/plan.tsv"
self="$IF_HOME/runner.sh"

# cloud-init must finish before sanitize runs `cloud-init clean`, so leave runcmd at once and
# continue as a transient systemd service ordered after cloud-final (setsid without systemd).
if [ -z "${IF_FOREGROUND:-}" ] && [ -z "${IF_DETACHED:-}" ]; then
  if [ -d /run/systemd/system ] && systemd-run --unit=image-factory --no-block -p After=cloud-final.service \
      --setenv=IF_DETACHED=1 /bin/bash "$self" >/dev/null 2>&1; then
    exit 0
  fi
  IF_DETACHED=1 setsid /bin/bash "$self" </dev/null >/dev/null 2>&1 &
  exit 0
fi
mkdir -p "$IF_HOME/logs"
if [ -n "${IF_DETACHED:-}" ]; then exec </dev/null >/dev/null 2>>"$IF_HOME/logs/runner.log"; fi

poweroff_now() {
  [ "${IF_NO_POWEROFF:-}" = 1 ] && exit 0
  sync
  systemctl --no-block poweroff 2>/dev/null || shutdown -P now 2>/dev/null || poweroff 2>/dev/null
  # An orderly shutdown stops this script here; if it does not within 3 minutes, force it.
  sleep 180
  sync; poweroff -f 2>/dev/null
  echo o >/proc/sysrq-trigger 2>/dev/null
  exit 0
}
finish() { if_emit event result "$@"; poweroff_now; }
# phase name status [key value ...]: progress of the runner's own work.
phase() { local n=$1 s=$2; shift 2; if_emit event phase name "$n" status "$s" "$@"; }
# Sends the last lines of a log as event=log lines (for the failed step).
send_tail() {
  local l
  tail -n "${IF_LOG_LINES:-25}" "$2" 2>/dev/null | while IFS= read -r l || [ -n "$l" ]; do
    if_emit event log step "$1" text "${l:0:300}"
  done
}

[ -r "$plan" ] || finish result failure reason "no plan at $plan"
field() { awk -F'\t' -v k="$1" '$1==k{print $2; exit}' "$plan"; }
mode=$(field mode); build=$(field build)
total=$(awk -F'\t' '$1=="step"' "$plan" | wc -l)
case "$mode" in build|test) ;; *) finish result failure reason "plan mode \"$mode\" is not build or test" ;; esac
# Overall budget: the plan's `timeout` row, else the sum of step timeouts plus 30 minutes.
overall=$(field timeout)
[ -n "$overall" ] || overall=$(awk -F'\t' '$1=="step"{s+=$4} END{print s+1800}' "$plan")
deadline=$((SECONDS + overall))
if_emit event begin mode "$mode" steps "$total" build "$build"

# The runner's own scripts: checked against the plan's sha256 rows, copied before any step runs to a
# scratch dir that is not captured (tmpfs /run) and that sanitize does not clean; sanitize and
# self-check run from that copy, and a step that changes either side fails the build.
work=${IF_WORK:-$(mktemp -d -p /run image-factory.XXXXXX 2>/dev/null || mktemp -d -p /dev/shm)}
own=(protocol.sh runner.sh sanitize.sh selfcheck.sh sbom.sh plan.tsv)
bad=$(awk -F'\t' '$1=="sha256"{print $3 "  " $2}' "$plan" | (cd "$IF_HOME" && sha256sum -c --quiet 2>&1) | sed -n 's/: FAILED.*//p' | paste -sd' ' -)
[ -z "$bad" ] || finish result failure reason "the runner's files do not match the plan's sha256: $bad"
{ sums=$(cd "$IF_HOME" && sha256sum "${own[@]}") && (cd "$IF_HOME" && cp "${own[@]}" "$work/"); } || finish result failure reason "cannot copy the guest scripts to $work"
root_args=(); [ -n "$IF_ROOT" ] && root_args=(--root "$IF_ROOT")
# Cron files and enabled units before the first step: the self-check reports what the steps added.
/bin/bash "$work/selfcheck.sh" ${root_args[@]+"${root_args[@]}"} --snapshot >"$work/baseline" 2>/dev/null

if [ "$mode" = build ] && [ -z "$IF_ROOT" ] && [ "$IF_HOME" != /var/lib/image-factory ]; then
  # Sanitize wipes the machine it runs on: only ever on a builder, never on a developer's host.
  finish result failure reason "refusing to sanitize / with IF_HOME=$IF_HOME (set IF_ROOT for a test tree)"
fi

if [ -n "${IF_DETACHED:-}" ] && command -v cloud-init >/dev/null; then
  phase wait-cloud-init start
  timeout 900 cloud-init status --wait >/dev/null 2>&1
  phase wait-cloud-init ok
fi

# Package managers started at boot (apt-daily, unattended-upgrades) hold the dpkg lock; stop
# their timers for this boot only and wait for running ones rather than failing a step.
# IF_LOCKS (space-separated paths) replaces the list, for tests.
locks=${IF_LOCKS:-}
if [ -z "$locks" ] && [ -z "$IF_ROOT" ] && [ "$IF_HOME" = /var/lib/image-factory ]; then
  locks="/var/lib/dpkg/lock /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock /var/cache/apt/archives/lock /var/lib/rpm/.rpm.lock"
  systemctl stop apt-daily.timer apt-daily-upgrade.timer dnf-makecache.timer >/dev/null 2>&1
fi
lock_held() {
  local l
  for l in $locks; do
    find /proc/[0-9]*/fd -maxdepth 1 -lname "$l" -print -quit 2>/dev/null | grep -q . && return 0
  done
  return 1
}
if [ -n "$locks" ]; then
  waited=0 lock_wait=${IF_LOCK_WAIT:-1200}
  while lock_held && [ $waited -lt "$lock_wait" ]; do
    [ $waited -eq 0 ] && phase wait-package-locks start
    sleep 2; waited=$((waited + 2))
  done
  [ $waited -gt 0 ] && phase wait-package-locks ok seconds "$waited"
fi

# Test mode: the captured image's first boot. Audit it before any test step runs: what was written
# after the build's self-check (an ExecStop, a shutdown hook) shows here, as a buyer's boot gets it.
if [ "$mode" = test ]; then
  phase audit start
  start=$SECONDS
  # IF_AUDIT_ROOT (tests): the tree to audit when the steps run on the host itself.
  audit_args=("${root_args[@]+"${root_args[@]}"}"); [ -n "${IF_AUDIT_ROOT:-}" ] && audit_args=(--root "$IF_AUDIT_ROOT")
  report=$(timeout 1800 /bin/bash "$work/selfcheck.sh" ${audit_args[@]+"${audit_args[@]}"} --audit --plan "$work/plan.tsv" 2>"$work/audit.log")
  rc=$?
  if [ -z "$report" ]; then
    phase audit fail seconds $((SECONDS - start))
    send_tail 0/"$total" "$work/audit.log"
    finish result failure reason "the audit of the captured image produced no report (exit $rc)"
  fi
  phase audit ok seconds $((SECONDS - start))
  if_emit event audit report "$report"
  if [ $rc -ne 0 ]; then
    failed=$(printf '%s' "$report" | grep -o '"id":"[a-z0-9-]*","status":"fail"' | cut -d'"' -f4 | paste -sd, -)
    finish result failure reason "the captured image failed its first-boot audit (written after the build's self-check, e.g. at power-off): ${failed:-exit $rc}"
  fi
fi

while IFS=$'\t' read -r kind index name timeout script; do
  [ "$kind" = step ] || continue
  step="$index/$total"
  if_emit event step step "$step" name "$name" status start
  log="$IF_HOME/logs/$index.log"
  left=$((deadline - SECONDS)) clipped=0
  if [ "$timeout" -gt "$left" ]; then timeout=$left clipped=1; fi
  start=$SECONDS
  rc=0
  if [ "$timeout" -le 0 ]; then
    rc=124; echo "overall build timeout of ${overall}s reached" >"$log"
  else
    # Files first, then the script, with a clean environment (nothing of cloud-init's leaks in).
    # Steps get the usual umask 022: the runner's 077 would make what they create (and the
    # parents install -D makes) unreadable to the services they install.
    umask 022
    while IFS=$'\t' read -r fkind findex src dest fmode; do
      if [ "$fkind" != file ] || [ "$findex" != "$index" ]; then continue; fi
      install -D -m "$fmode" "$IF_HOME/$src" "$dest" >>"$log" 2>&1 || { rc=$?; break; }
    done <"$plan"
    if [ $rc -eq 0 ]; then
      env -i PATH="$PATH" HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
        IF_BUILD_ID="$build" IF_MODE="$mode" \
        timeout --kill-after=30 "$timeout" /bin/bash "$IF_HOME/$script" >>"$log" 2>&1 </dev/null
      rc=$?
      if [ $clipped = 1 ] && { [ $rc -eq 124 ] || [ $rc -eq 137 ]; }; then echo "overall build timeout of ${overall}s reached" >>"$log"; fi
    fi
    umask 077
  fi
  secs=$((SECONDS - start))
  if [ $rc -ne 0 ]; then
    status=fail; { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && status=timeout
    if_emit event step step "$step" name "$name" status "$status" exit "$rc" seconds "$secs"
    send_tail "$step" "$log"
    finish result failure step "$step" reason "step $name: $status (exit $rc after ${secs}s)"
  fi
  if_emit event step step "$step" name "$name" status ok seconds "$secs"
done <"$plan"

bad=$( { (cd "$IF_HOME" && sha256sum -c --quiet <<<"$sums"); (cd "$work" && sha256sum -c --quiet <<<"$sums"); } 2>&1 | sed -n 's/: FAILED.*//p' | sort -u | paste -sd' ' -)
[ -z "$bad" ] || finish result failure reason "step touched the runner's files: $bad"
[ "$mode" = test ] && finish result success

# Build mode. Sanitize removes $IF_HOME: sanitize and self-check run from the copy made at start.
phase sanitize start
start=$SECONDS
if ! timeout 1800 /bin/bash "$work/sanitize.sh" ${root_args[@]+"${root_args[@]}"} >"$work/sanitize.log" 2>&1; then
  phase sanitize fail seconds $((SECONDS - start))
  send_tail 0/"$total" "$work/sanitize.log"
  finish result failure reason "sanitize failed"
fi
phase sanitize ok seconds $((SECONDS - start))

phase selfcheck start
start=$SECONDS
report=$(timeout 3600 /bin/bash "$work/selfcheck.sh" ${root_args[@]+"${root_args[@]}"} --plan "$work/plan.tsv" --baseline "$work/baseline" 2>"$work/selfcheck.log")
rc=$?
if [ -z "$report" ]; then
  phase selfcheck fail seconds $((SECONDS - start))
  send_tail 0/"$total" "$work/selfcheck.log"
  finish result failure reason "self-check produced no report (exit $rc)"
fi
phase selfcheck ok seconds $((SECONDS - start))
if_emit event selfcheck report "$report"
if [ $rc -ne 0 ]; then
  failed=$(printf '%s' "$report" | grep -o '"id":"[a-z0-9-]*","status":"fail"' | cut -d'"' -f4 | paste -sd, -)
  finish result failure reason "self-check failed: ${failed:-exit $rc}"
fi
# SBOM: the package inventory, gzip + base64url, in chunk lines (format: stacks/guest/protocol.ts).
phase sbom start
start=$SECONDS
if timeout 600 /bin/bash "$work/sbom.sh" ${root_args[@]+"${root_args[@]}"} >"$work/sbom.tsv" 2>"$work/sbom.log" && gzip -9n "$work/sbom.tsv"; then
  sum=$(sha256sum "$work/sbom.tsv.gz" | cut -d' ' -f1)
  base64 -w0 "$work/sbom.tsv.gz" | tr '+/' '-_' | tr -d '=' | fold -w 960 >"$work/sbom.b64"; echo >>"$work/sbom.b64"
  n=$(grep -c . "$work/sbom.b64") i=0
  while read -r chunk; do [ -n "$chunk" ] || continue; i=$((i + 1)); if_emit event sbom part "$i/$n" sum "$sum" data "$chunk"; done <"$work/sbom.b64"
  phase sbom ok seconds $((SECONDS - start))
else
  phase sbom fail seconds $((SECONDS - start))
  send_tail 0/"$total" "$work/sbom.log"
  finish result failure reason "the SBOM inventory failed"
fi
finish result success
