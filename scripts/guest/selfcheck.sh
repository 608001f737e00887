#!/bin/bash
# Self-check: KooGallery scan rules and Huawei image-preparation rules that can be checked
# inside the guest (see README.md). Prints one JSON report on stdout; exit 0 when it passed,
# 1 when a check failed (and was not waived), 2 on usage errors.
#   selfcheck.sh [--root DIR] [--plan plan.tsv] [--baseline FILE] [--audit]
# --baseline: runner.sh's snapshot (--snapshot) of cron files and enabled units before the first step.
# --audit: the first boot of the captured image (tester, try): only what no boot may add back
# (keys, accounts, sudo, PAM, cloud-init users, credentials, listeners). Host keys, machine-id,
# leases and cloud-init state are this boot's own, and the build-time checks already passed.
# --root inspects a mounted or unpacked tree; tools of that tree run through chroot (as root).
set -u
R=/ PLAN='' BASE='' AUDIT=''
while [ $# -gt 0 ]; do
  case "$1" in
    --root) R=${2:?--root needs a directory}; shift 2 ;;
    --plan) PLAN=${2:?--plan needs a file}; shift 2 ;;
    --baseline) BASE=${2:?--baseline needs a file}; shift 2 ;;
    --snapshot) SNAP=1; shift ;;
    --audit) AUDIT=1; shift ;;
    *) echo "usage: selfcheck.sh [--root DIR] [--plan plan.tsv] [--baseline FILE] [--snapshot] [--audit]" >&2; exit 2 ;;
  esac
done
R=${R%/}
[ -d "$R/etc" ] || { echo "selfcheck: no etc directory under ${R:-/}" >&2; exit 2; }
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ITEMS="" FAILED=0
# Cron files and enabled units (sha256 path): the persistence state, before and after the steps.
persist() { find "$R"/etc/crontab "$R"/etc/cron.d "$R"/etc/cron.hourly "$R"/etc/cron.daily "$R"/etc/cron.weekly "$R"/etc/cron.monthly \
  "$R"/var/spool/cron "$R"/etc/systemd/system -path "$R/etc/systemd/system/*.wants/*" -printf '%l ' -print -o ! -path "$R/etc/systemd/system*" -type f -print 2>/dev/null |
  while read -r a b; do if [ -n "$b" ]; then echo "link:$a ${b#"$R"}"; else echo "$(sha256sum <"$a" | cut -c1-16) ${a#"$R"}"; fi; done | sort; }
[ -n "${SNAP:-}" ] && { persist; exit 0; }
MAC='([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}'

in_root() { if [ -z "$R" ]; then "$@"; else chroot "$R" "$@"; fi; }
# True when any of the (globbed) paths exists. With --root, an absolute symlink (as systemctl
# enable makes them) points into the tree, not at this host: follow it there.
exists() {
  local p t
  for p in "$@"; do
    if [ -n "$R" ] && [ -L "$p" ] && t=$(readlink "$p") && [ "${t#/}" != "$t" ]; then [ -e "$R$t" ] && return 0
    elif [ -e "$p" ]; then return 0; fi
  done
  return 1
}
has() { [ -x "$R/usr/bin/$1" ] || [ -x "$R/usr/sbin/$1" ] || [ -x "$R/bin/$1" ] || [ -x "$R/sbin/$1" ]; }
# Any control character would make the report invalid JSON (and lose it): spaces instead.
jstr() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//[[:cntrl:]]/ }; printf '"%s"' "$s"; }
# Lists paths without the root prefix, comma-separated, at most 5.
short() { sed "s|^$R||" | head -n 5 | paste -sd, - | sed 's/,/, /g'; }
waiver() { [ -n "$PLAN" ] && awk -F'\t' -v id="$1" '$1=="waive" && $2==id {print $3; f=1; exit} END{exit !f}' "$PLAN"; }
# check id pass|fail|warn|skip detail (warn: report only, never fails)
check() {
  local st=$2 reason=""
  if [ "$st" = fail ] && reason=$(waiver "$1"); then st=waived; fi
  [ "$st" = fail ] && FAILED=1
  ITEMS+="${ITEMS:+,}{\"id\":\"$1\",\"status\":\"$st\",\"detail\":$(jstr "${3:0:400}")"
  [ "$st" = waived ] && ITEMS+=",\"reason\":$(jstr "$reason")"
  ITEMS+="}"
}
# Non-comment lines of the given files matching an extended regex, as file:line.
grep_conf() { local re=$1; shift; grep -HsEv '^[[:space:]]*(#|;|$)' "$@" 2>/dev/null | grep -E -- "$re"; }

# Home directories: root, /home/*, and every account's home that exists (service accounts too).
HOMES=$( { echo /root; for d in "$R"/home/*/; do [ -d "$d" ] && d=${d%/} && echo "${d#"$R"}"; done
  awk -F: '{print $6}' "$R/etc/passwd" 2>/dev/null; } | grep -Ev '^(/|/nonexistent|/dev|/proc|/sys|/run.*|/bin|/sbin|/usr/s?bin|/usr/games)/?$' | sort -u)
in_homes() { local h; for h in $HOMES; do [ -d "$R$h" ] && find "$R$h" "$@" 2>/dev/null; done; }

# --- KooGallery scan rules -------------------------------------------------------------------
bad=$(awk -F: '$2 !~ /^(\*|!+|!\*|\*LK\*)$/ {print $1 ($2=="" ? " (empty)" : "")}' "$R/etc/shadow" 2>/dev/null | paste -sd, -)
bad+=$(awk -F: '$2 !~ /^(x|\*|!+)$/ {print " passwd:" $1}' "$R/etc/passwd" | paste -sd, -)
bad+=$(awk -F: '$2 !~ /^(|\*|!+|!\*)$/ {print " gshadow:" $1}' "$R/etc/gshadow" 2>/dev/null | paste -sd, -)
# Backup copies of the account files hold the same hashes.
for b in /etc/shadow- /etc/gshadow- /var/backups/shadow.bak /var/backups/gshadow.bak; do
  [ -f "$R$b" ] && bad+=$(awk -F: -v b="$b" '$2 !~ /^(|\*|!+|!\*|\*LK\*)$/ {print " " b ":" $1}' "$R$b" | paste -sd, -)
done
if [ ! -r "$R/etc/shadow" ]; then check no-password-hash fail "cannot read /etc/shadow"
elif [ -n "$bad" ]; then check no-password-hash fail "accounts with a password hash or an empty password: $bad"
else check no-password-hash pass "every account password is locked (! or *)"; fi

# An OpenSSH public-key line (here and in the sshd and anywhere checks below).
KEYRE='(ssh-(ed25519|rsa|dss)|ecdsa-sha2-[a-z0-9]+|sk-(ssh-ed25519|ecdsa-sha2-[a-z0-9]+)@openssh\.com)[[:space:]]+AAAA'
f=$(in_homes -maxdepth 2 -path '*/.ssh/authorized_keys*' -type f; ls -d "$R"/etc/ssh/authorized_keys* 2>/dev/null)
# At a first boot (--audit) cloud-init makes the default user's and root's authorized_keys, empty
# when the instance has no key pair (the tester and try have none): only a key in one counts.
[ -n "$AUDIT" ] && [ -n "$f" ] && f=$(tr '\n' '\0' <<<"$f" | xargs -0r grep -lsE -- "$KEYRE")
if [ -n "$f" ]; then check no-authorized-keys fail "authorized_keys present: $(short <<<"$f")"
else check no-authorized-keys pass "no authorized_keys in $(echo "$HOMES" | wc -l) home directories"; fi

f=$( [ -z "$AUDIT" ] && ls -d "$R"/etc/ssh/ssh_host_*key* 2>/dev/null)
if [ -n "$AUDIT" ]; then :
elif [ -n "$f" ]; then check no-ssh-host-keys fail "SSH host keys present (regenerated at first boot): $(short <<<"$f")"
else check no-ssh-host-keys pass "no SSH host keys"; fi


# shellcheck disable=SC2046
f=$(in_homes -maxdepth 3 -type f \( -path '*/.aws/credentials' -o -path '*/.git-credentials' -o -name .netrc \
  -o -name .pgpass -o -path '*/.hcloud/config.json' -o -path '*/.kube/config' -o -path '*/.docker/config.json' \
  -o -path '*/.config/gcloud/credentials.db' -o -name .my.cnf -o -name rclone.conf \) -size +0
  in_homes -maxdepth 2 -type f -name '.*history*' -size +0 ! -name '.*_history' ! -name .history
  grep -lsE '^[[:space:]]*(export[[:space:]]+)?(HW_SECRET_KEY|HW_ACCESS_KEY|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN)=[^[:space:]]' \
    "$R"/etc/profile "$R"/etc/profile.d/* "$R"/etc/environment "$R"/etc/bash.bashrc $(in_homes -maxdepth 1 -type f -name '.*rc' -o -maxdepth 1 -type f -name '.*profile'))
if [ -n "$f" ]; then check no-stored-credentials fail "credential files in home directories: $(short <<<"$f")"
else check no-stored-credentials pass "no known credential files in home directories"; fi

f=$(in_homes -maxdepth 1 -type f \( -name '.*_history' -o -name .history -o -name .lesshst -o -name .viminfo \) -size +0)
if [ -n "$f" ]; then check no-shell-history fail "history files: $(short <<<"$f")"
else check no-shell-history pass "no history files"; fi

# Effective sshd settings per login user (sshd -T -C): every AuthorizedKeysFile (%h %u %% expanded,
# relative = under the home) holds no key; no AuthorizedKeysCommand; no PermitEmptyPasswords.
if has sshd; then
  t=$(mktemp -d "$R/tmp/.ifsc.XXXXXX") && mkrun=0 && { [ -d "$R/run/sshd" ] || { mkdir -p "$R/run/sshd" && mkrun=1; }; }
  in_root ssh-keygen -q -t ed25519 -N '' -f "${t#"$R"}/k" >/dev/null 2>&1
  keys="" cmd="" empty="" err=""
  while IFS=: read -r u _ _ _ _ h sh; do
    case $sh in */nologin|*/false|/bin/sync|'') [ "$u" = root ] || continue ;; esac
    if ! o=$(in_root sshd -T -h "${t#"$R"}/k" -C "user=$u,host=localhost,addr=127.0.0.1" 2>&1); then err+=" $u: $(tail -n 1 <<<"$o")"; continue; fi
    c=$(awk '$1=="authorizedkeyscommand" && $2!="none" {$1=""; print}' <<<"$o"); [ -n "$c" ] && cmd+=" $u:$c"
    grep -q '^permitemptypasswords yes' <<<"$o" && empty+=" $u"
    # shellcheck disable=SC2013
    for p in $(awk '$1=="authorizedkeysfile" {$1=""; print}' <<<"$o"); do
      [ "$p" = none ] && continue
      p=${p//%%/$'\1'}; p=${p//%h/$h}; p=${p//%u/$u}; p=${p//$'\1'/%}; [ "${p#/}" = "$p" ] && p=${h%/}/$p
      [ -f "$R$p" ] && grep -qsE "$KEYRE" "$R$p" && keys+=" $u:$p"
    done
  done <"$R/etc/passwd"
  rm -rf "$t"; [ "$mkrun" = 1 ] && rmdir "$R/run/sshd"
  if [ -n "$err" ]; then check sshd-authorized-keys-files fail "sshd -T failed:$err"
  elif [ -n "$keys" ]; then check sshd-authorized-keys-files fail "keys in effective AuthorizedKeysFile paths:$keys"
  else check sshd-authorized-keys-files pass "no key in any effective AuthorizedKeysFile (sshd -T per login user)"; fi
  if [ -n "$cmd" ]; then check no-authorized-keys-command fail "AuthorizedKeysCommand set for${cmd:0:200}"
  else check no-authorized-keys-command pass "AuthorizedKeysCommand none"; fi
  if [ -n "$empty" ]; then check no-permit-empty-passwords fail "PermitEmptyPasswords yes for:$empty"
  else check no-permit-empty-passwords pass "PermitEmptyPasswords no"; fi
else for i in sshd-authorized-keys-files no-authorized-keys-command no-permit-empty-passwords; do check "$i" skip "sshd not installed"; done; fi

# Public keys anywhere outside package-owned files (dpkg file lists, rpm database).
pkgf=$(mktemp); { cat "$R"/var/lib/dpkg/info/*.list 2>/dev/null; has rpm && in_root rpm -qa --qf '[%{FILENAMES}\n]' 2>/dev/null; } | sort -u >"$pkgf"
# At a first boot (--audit), /var/lib/cloud/instances is that boot's own user data (the tester's bundle).
THISBOOT=/var/lib/image-factory; [ -n "$AUDIT" ] && THISBOOT=/var/lib/cloud/instances
scan() { find "$R"/etc "$R"/root "$R"/home "$R"/var "$R"/opt "$R"/srv "$R"/usr/local "${HOMESX[@]}" -xdev \( -path "$R/var/lib/image-factory" -o -path "$R$THISBOOT" -o -path "$R/proc" -o -path "$R/sys" -o -path "$R/dev" -o -path "$R/run" \) -prune -o -type f -size -1024k -print0 2>/dev/null |
  xargs -0r grep -lsE -e "$1" 2>/dev/null | sed "s|^$R||" | sort -u | comm -23 - "$pkgf"; }
HOMESX=(); while IFS=: read -r _ _ _ _ _ h _; do case $h in /|/usr/games|/bin|/sbin|/usr/bin|/usr/sbin) ;; /*) [ -d "$R$h" ] && HOMESX+=("$R$h") ;; esac; done <"$R/etc/passwd"
# Homes outside the scanned trees (uid 0 at / or /usr/games): their authorized_keys files, listed first.
# shellcheck disable=SC2013
f=$(for h in $(awk -F: '$6=="/"||$6=="/usr/games"{print $6}' "$R/etc/passwd" | sort -u); do ls -d "$R${h%/}"/.ssh/authorized_keys* 2>/dev/null; done | sed "s|^$R||")
f+=$'\n'$(scan "(^|[[:space:],\"])$KEYRE" | grep -vE '^/etc/ssh/ssh_host_[a-z0-9]+_key\.pub$')
f=$(grep . <<<"$f")
if [ -n "$f" ]; then check no-public-keys-anywhere fail "OpenSSH public keys outside package files: $(short <<<"$f")"
else check no-public-keys-anywhere pass "no OpenSSH public key outside package-owned files"; fi

f=$(awk -F: '$3==0 && $1!="root" {print $1}' "$R/etc/passwd" | paste -sd, -)
if [ -n "$f" ]; then check no-extra-uid0 fail "accounts with uid 0 besides root: $f"
else check no-extra-uid0 pass "only root has uid 0"; fi

# cloud-init's own file for its default user (rewritten at the buyer's first boot) is not counted.
du=$(sed -n '/^[[:space:]]*default_user:/,/^[^[:space:]]/s/^[[:space:]]*name:[[:space:]]*\([a-z_][a-z0-9_-]*\).*/\1/p' "$R"/etc/cloud/cloud.cfg 2>/dev/null | head -n 1)
f=$(grep_conf '(NOPASSWD|!authenticate)' "$R"/etc/sudoers "$R"/etc/sudoers.d/* | grep -vE "^$R/etc/sudoers.d/90-cloud-init-users:${du:-debian}[[:space:]]+ALL=\\(ALL\\) NOPASSWD:ALL$" | short)
if [ -n "$f" ]; then check no-sudo-nopasswd fail "sudo without a password: $f"
else check no-sudo-nopasswd pass "no NOPASSWD or !authenticate in sudoers"; fi

# cloud-init config that makes users, sets passwords or injects keys (the stock "users: - default" passes).
# shellcheck disable=SC2046
f=$(grep_conf '(ssh_authorized_keys|ssh-authorized-keys|[:[:space:]-]passwd:|plain_text_passwd|hashed_passwd|chpasswd|lock_passwd:[[:space:]]*(false|no)|authorized_keys|^[^:]*:[[:space:]]*-[[:space:]]*name:)' \
  "$R"/etc/cloud/cloud.cfg "$R"/etc/cloud/cloud.cfg.d/* $(find "$R"/var/lib/cloud/seed $([ -z "$AUDIT" ] && echo "$R"/var/lib/cloud/instance/) -maxdepth 3 -type f 2>/dev/null) | cut -d: -f1 | sort -u | short)
if [ -n "$f" ]; then check no-cloud-init-user-injection fail "cloud-init config creates users, sets passwords or adds keys: $f"
else check no-cloud-init-user-injection pass "cloud-init adds no users, passwords or keys"; fi

# pam_permit that ends an auth stack with success (sufficient, or a bracketed done action).
f=$(grep_conf '^[^:]*:[[:space:]]*-?auth[[:space:]]+(sufficient|\[[^]]*=done[^]]*\])[[:space:]]+([^[:space:]]*/)?pam_permit\.so' "$R"/etc/pam.d/* | short)
if [ -n "$f" ]; then check no-pam-permit-auth fail "pam_permit lets auth succeed without a password: $f"
else check no-pam-permit-auth pass "no auth stack ends in pam_permit"; fi

# Private keys at any depth outside package files (SSH host keys: no-ssh-host-keys).
f=$(scan '-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----' | grep -vE '^/etc/ssh/ssh_host_[a-z0-9]+_key$')
if [ -n "$f" ]; then check no-private-keys fail "private keys (PEM, OpenSSH or PGP): $(short <<<"$f")"
else check no-private-keys pass "no private key outside package-owned files"; fi

# Persistence added by the steps (report only): cron files and enabled units not in the baseline,
# and any cron file or enabled unit that downloads and runs code.
if [ -n "$AUDIT" ]; then :
elif [ -n "$BASE" ] && [ -r "$BASE" ]; then
  f=$(persist | comm -13 "$BASE" - | awk '{print $NF}' | short)
  if [ -n "$f" ]; then check persistence-added warn "added or changed by the steps: $f"
  else check persistence-added pass "no cron entry or enabled unit added by the steps"; fi
else check persistence-added skip "no baseline from before the first step"; fi
units=$(for l in "$R"/etc/systemd/system/*.wants/*; do [ -L "$l" ] || continue; t=$(readlink "$l"); [ "${t#/}" != "$t" ] && t=$R$t; [ -f "$t" ] && echo "$t"; done)
# shellcheck disable=SC2046,SC2086
f=$(grep -lsE '(curl|wget|fetch)[^|;]*\|[[:space:]]*(sudo[[:space:]]+)?(ba|da|z)?sh\b|(ba)?sh[[:space:]]+-c[[:space:]]+.?\$\((curl|wget)' \
  "$R"/etc/crontab "$R"/etc/cron.d/* "$R"/etc/cron.hourly/* "$R"/etc/cron.daily/* "$R"/etc/cron.weekly/* "$R"/etc/cron.monthly/* $(find "$R"/var/spool/cron -type f 2>/dev/null) $units | short)
if [ -n "$f" ]; then check no-download-exec warn "cron or enabled unit downloads and runs code: $f"
else check no-download-exec pass "no cron entry or enabled unit pipes a download into a shell"; fi

# Listening services (report only; Huawei's Product Security Review Standard: services do not run
# as root, only necessary ports are open). Only live: a tree has no processes. The plan's `port`
# rows are the definition's securityGroup (protocol, port or range): a listener outside them is one
# the buyer's security group will not open, or one the definition forgot to declare.
if [ -n "$R" ]; then check listening-services skip "--root: no processes to inspect"
elif ! command -v ss >/dev/null; then check listening-services skip "ss not installed"
else
  l=$(ss -H -ltnup 2>/dev/null | awk '{print $1 " " $5 " " $7}')
  root="" all="" undeclared=""
  declared() { [ -n "$PLAN" ] && awk -F'\t' -v p="$1" -v n="$2" '$1=="port" && $2==p { split($3, r, "-"); if (n >= r[1] && n <= (r[2] == "" ? r[1] : r[2])) f=1 } END{exit !f}' "$PLAN"; }
  while read -r proto addr users; do
    [ -n "$addr" ] || continue
    pid=$(grep -o 'pid=[0-9]*' <<<"$users" | head -n 1 | cut -d= -f2); prog=$(grep -o '"[^"]*"' <<<"$users" | head -n 1 | tr -d '"')
    u=$( [ -n "$pid" ] && ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')
    all+=" $proto/$addr:${prog:-?}:${u:-?}"
    case $addr in 127.*|\[::1\]*|*%lo:*) continue ;; esac
    # DHCP and DHCPv6 clients (udp 68, 546) receive the answers to the machine's own requests: no inbound rule opens them.
    case $proto/${addr##*:} in udp/68|udp/546) continue ;; esac
    [ "$u" = root ] && root+=" $proto/$addr:$prog"
    declared "$proto" "${addr##*:}" || undeclared+=" $proto/${addr##*:}:${prog:-?}"
  done <<<"$l"
  undeclared=$(tr ' ' '\n' <<<"$undeclared" | grep . | sort -u | paste -sd' ' -)
  w=""
  [ -n "$undeclared" ] && w+="ports the definition's securityGroup does not declare: $undeclared; "
  [ -n "$root" ] && w+="listeners running as root (the review standard asks services not to run as root):$root; "
  if [ -n "$w" ]; then check listening-services warn "${w}all:$all"
  else check listening-services pass "listeners:${all:- none}"; fi
fi

# Password policy: what counts is pam_pwquality or pam_cracklib in the PAM password stack with an
# explicit minlen >= 8, at least 2 required classes (minclass, or negative d/u/l/ocredit) and the
# user-name check on. login.defs PASS_MIN_LEN alone does not count: PAM's passwd ignores it.
pamfiles=$(ls "$R"/etc/pam.d/common-password "$R"/etc/pam.d/system-auth "$R"/etc/pam.d/password-auth 2>/dev/null)
# shellcheck disable=SC2086
line=$( [ -n "$pamfiles" ] && grep -hE '^[[:space:]]*password[[:space:]]+.*pam_(pwquality|cracklib)\.so' $pamfiles | head -n 1)
if [ -z "$pamfiles" ]; then check password-policy fail "no PAM password stack found (common-password, system-auth)"
elif [ -z "$line" ]; then check password-policy fail "pam_pwquality/pam_cracklib is not in the PAM password stack"
else
  # Settings in order of precedence: pwquality.conf, pwquality.conf.d, then the module arguments.
  conf=""
  [[ $line == *pam_pwquality* ]] && conf=$(cat "$R"/etc/security/pwquality.conf "$R"/etc/security/pwquality.conf.d/*.conf 2>/dev/null)
  args=$(tr -s ' \t' '\n' <<<"${line#*.so}" | grep '=')
  eval "$(printf '%s\n%s\n' "$conf" "$args" | awk -F= '{ sub(/#.*/, "") } NF==2 {
      k=$1; v=$2; gsub(/[[:space:]]/,"",k); gsub(/[[:space:]]/,"",v)
      if (k ~ /^(minlen|minclass|dcredit|ucredit|lcredit|ocredit|usercheck)$/ && v ~ /^-?[0-9]+$/) s[k]=v }
    END { for (k in s) print "pw_" k "=" s[k] }')"
  classes=${pw_minclass:-0} neg=0
  for c in ${pw_dcredit:-0} ${pw_ucredit:-0} ${pw_lcredit:-0} ${pw_ocredit:-0}; do [ "$c" -lt 0 ] && neg=$((neg + 1)); done
  [ $neg -gt "$classes" ] && classes=$neg
  # pam_cracklib accepts a password equal to the user name unless reject_username is given.
  [[ $line == *pam_cracklib* && $line != *reject_username* ]] && pw_usercheck=0
  d="minlen=${pw_minlen:-unset} classes=$classes usercheck=${pw_usercheck:-1} via $(grep -oE 'pam_(pwquality|cracklib)' <<<"$line")"
  if [ "${pw_minlen:-0}" -ge 8 ] && [ "$classes" -ge 2 ] && [ "${pw_usercheck:-1}" != 0 ]; then check password-policy pass "$d"
  else check password-policy fail "$d; expected minlen >= 8, minclass >= 2, usercheck on"; fi
  unset pw_minlen pw_minclass pw_usercheck
fi

if [ -z "$AUDIT" ]; then
# Pending security updates from the package lists on disk. Without lists covering a security
# repository the answer is unknown, which fails: refresh the lists in a step, or waive the check.
if has apt-get; then
  # shellcheck disable=SC2010
  lists=$(ls "$R"/var/lib/apt/lists/ 2>/dev/null | grep -E '_Packages(\.(lz4|gz|xz))?$')
  if [ -z "$lists" ]; then check no-pending-security-updates fail "cannot determine: no apt package lists (run apt-get update in a step)"
  elif ! grep -q -- '-security' <<<"$lists" && ! grep -q 'security' <<<"$lists"; then
    check no-pending-security-updates fail "cannot determine: the apt lists include no security repository"
  elif ! out=$(in_root apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>&1); then
    check no-pending-security-updates fail "cannot determine: apt-get -s failed: $(tail -n 1 <<<"$out")"
  else
    age=$(find "$R"/var/lib/apt/lists/ -maxdepth 1 -name '*_InRelease' -printf '%TY-%Tm-%Td\n' 2>/dev/null | sort | head -n 1)
    pend=$(grep -E '^Inst .*-security' <<<"$out" | awk '{print $2}')
    if [ -n "$pend" ]; then check no-pending-security-updates fail "$(wc -l <<<"$pend") security updates pending: $(head -n 8 <<<"$pend" | paste -sd' ' -) (lists from $age)"
    else check no-pending-security-updates pass "no security updates pending (apt lists from $age)"; fi
  fi
elif has dnf || has yum; then
  pm=yum; has dnf && pm=dnf
  # check-update exits 100 when updates are pending, 0 when none, 1 on error (e.g. no cache).
  # Without advisories (updateinfo, which CentOS repositories do not publish) it always says 0.
  if [ -z "$(find "$R"/var/cache/dnf "$R"/var/cache/yum -name '*updateinfo*' 2>/dev/null | head -n 1)" ]; then rc=none out=""
  else out=$(in_root "$pm" -q -C --security check-update 2>&1); rc=$?; fi
  case $rc in
    0) check no-pending-security-updates pass "no security updates pending ($pm cache)" ;;
    none) check no-pending-security-updates fail "cannot determine: no repository in the $pm cache publishes security advisories (updateinfo); run $pm makecache in a step, or waive the check" ;;
    100) check no-pending-security-updates fail "security updates pending: $(grep -E '^[A-Za-z0-9]' <<<"$out" | awk '{print $1}' | head -n 8 | paste -sd' ' -)" ;;
    *) check no-pending-security-updates fail "cannot determine: $pm --security check-update failed: $(tail -n 1 <<<"$out")" ;;
  esac
else check no-pending-security-updates skip "no apt, dnf or yum"; fi

if has clamscan; then
  if ! exists "$R"/var/lib/clamav/*.c[lv]d; then check clamav-scan fail "ClamAV installed but has no signatures (run freshclam)"
  else
    out=$(in_root clamscan -r -i --no-summary --cross-fs=no --exclude-dir='^/(proc|sys|dev|run)' / 2>&1); rc=$?
    case $rc in
      0) check clamav-scan pass "no malware found by clamscan" ;;
      1) check clamav-scan fail "malware found: $(grep FOUND <<<"$out" | head -n 5 | paste -sd' ' -)" ;;
      *) check clamav-scan fail "clamscan failed (exit $rc): $(tail -n 1 <<<"$out")" ;;
    esac
  fi
else check clamav-scan skip "ClamAV not installed"; fi

# --- Huawei image-preparation rules ----------------------------------------------------------
if has cloud-init; then check cloud-init-installed pass "cloud-init present"
else check cloud-init-installed fail "cloud-init is not installed (the buyer's password is injected by cloud-init)"; fi

if [ -e "$R/etc/cloud/cloud-init.disabled" ]; then check cloud-init-enabled fail "/etc/cloud/cloud-init.disabled exists"
elif exists "$R"/etc/systemd/system/*.wants/cloud-final.service "$R"/usr/lib/systemd/system/*.wants/cloud-final.service \
       "$R"/lib/systemd/system/*.wants/cloud-final.service "$R"/etc/rc[2345].d/S*cloud-final; then
  check cloud-init-enabled pass "cloud-final is enabled"
else check cloud-init-enabled fail "cloud-init services are not enabled (no cloud-final in any .wants or rc directory)"; fi

if [ -d "$R/var/lib/cloud/instance" ] || [ -n "$(find "$R/var/lib/cloud/instances" "$R/var/lib/cloud/seed" -mindepth 1 -maxdepth 1 2>/dev/null)" ]; then
  check cloud-init-cleaned fail "cloud-init state left in /var/lib/cloud (run cloud-init clean --logs --seed)"
else check cloud-init-cleaned pass "no cloud-init instance state"; fi

# shellcheck disable=SC2010
NETFILES=$(ls -d "$R"/etc/netplan/*.yaml "$R"/etc/network/interfaces "$R"/etc/network/interfaces.d/* \
  "$R"/etc/sysconfig/network-scripts/ifcfg-* "$R"/etc/NetworkManager/system-connections/* \
  "$R"/etc/systemd/network/*.network "$R"/etc/systemd/network/*.link 2>/dev/null | grep -v '/ifcfg-lo$')
cinet=1
grep -lsE '^[[:space:]]*network:[[:space:]]*\{[[:space:]]*config:[[:space:]]*disabled' "$R"/etc/cloud/cloud.cfg "$R"/etc/cloud/cloud.cfg.d/*.cfg >/dev/null && cinet=0
grep -sA2 -E '^network:[[:space:]]*$' "$R"/etc/cloud/cloud.cfg "$R"/etc/cloud/cloud.cfg.d/*.cfg | grep -qE 'config:[[:space:]]*disabled' && cinet=0
dhcp="" static=""
if [ -n "$NETFILES" ]; then
  # shellcheck disable=SC2086
  dhcp=$(grep_conf '(inet6? dhcp|dhcp4:[[:space:]]*(true|yes)|BOOTPROTO=.?dhcp|^[^:]*:DHCP=(yes|true|ipv4|both)|method=auto)' $NETFILES | cut -d: -f1 | sort -u | short)
  # shellcheck disable=SC2086
  # netplan: an address with a prefix length (nameserver addresses have none), inline or as a list item.
  static=$(grep_conf '(iface [^l][^ ]* inet static|BOOTPROTO=.?(static|none)|^[^:]*:Address=|method=manual|^[^:]*\.yaml:[[:space:]]*(addresses:[[:space:]]*\[|-)[[:space:]]*.?[0-9a-fA-F.:]+/[0-9]+)' $NETFILES | cut -d: -f1 | sort -u | short)
fi
if [ -n "$static" ]; then check nic-dhcp fail "static addressing in $static"
elif [ -n "$dhcp" ]; then check nic-dhcp pass "DHCP configured in $dhcp"
elif [ $cinet = 1 ] && has cloud-init; then check nic-dhcp pass "cloud-init network configuration is enabled (DHCP on the first NIC at first boot)"
elif has NetworkManager; then check nic-dhcp pass "NetworkManager without connection files (automatic DHCP)"
else check nic-dhcp fail "no DHCP configuration found and cloud-init networking is disabled"; fi

# shellcheck disable=SC2086
f=$( [ -n "$NETFILES" ] && grep_conf "$MAC" $NETFILES | cut -d: -f1 | sort -u | short)
if [ -n "$f" ]; then check no-mac-in-network-config fail "MAC addresses in $f"
else check no-mac-in-network-config pass "no MAC address in $(wc -w <<<"$NETFILES") network configuration files"; fi

f=$(ls -d "$R"/etc/udev/rules.d/*persistent-net* 2>/dev/null)
if [ -n "$f" ]; then check no-persistent-net-rules fail "persistent-net udev rules: $(short <<<"$f")"
else check no-persistent-net-rules pass "no persistent-net udev rules"; fi

if [ ! -r "$R/etc/fstab" ]; then check fstab-by-uuid fail "no /etc/fstab"; check fstab-no-data-disks skip "no /etc/fstab"
else
  entries=$(awk '$1 !~ /^#/ && NF >= 3' "$R/etc/fstab")
  f=$(awk '$1 ~ /^\/dev\// && $1 !~ /^\/dev\/disk\/by-(uuid|label)\// {print $1 " " $2}' <<<"$entries" | paste -sd, -)
  if [ -n "$f" ]; then check fstab-by-uuid fail "entries by device name (change with the disk's slot): $f"
  else check fstab-by-uuid pass "$(wc -l <<<"$entries") entries by UUID/LABEL or pseudo file systems"; fi
  f=$(awk '$3 !~ /^(proc|sysfs|tmpfs|devpts|devtmpfs|securityfs|cgroup2?|debugfs|hugetlbfs|mqueue|efivarfs|swap|bpf|pstore|none)$/ &&
      $2 !~ /^(\/|\/boot|\/boot\/efi|\/efi|none|swap)$/ {print $2}' <<<"$entries" | paste -sd, -)
  if [ -n "$f" ]; then check fstab-no-data-disks fail "mounts beyond the system disk: $f"
  else check fstab-no-data-disks pass "only system disk mounts"; fi
fi

# shellcheck disable=SC2012
# virtio drivers in the initramfs of the newest kernel (or built into it).
kver=$(ls "$R"/lib/modules/ 2>/dev/null | sort -V | tail -n 1)
img=""; for c in "$R/boot/initrd.img-$kver" "$R/boot/initramfs-$kver.img"; do [ -f "$c" ] && img=$c && break; done
if [ -z "$kver" ]; then check virtio-initramfs fail "no kernel modules found under /lib/modules"
elif [ -z "$img" ]; then check virtio-initramfs fail "no initramfs for kernel $kver"
else
  if has lsinitramfs; then list=$(in_root lsinitramfs "${img#"$R"}" 2>/dev/null)
  else list=$(in_root lsinitrd "${img#"$R"}" 2>/dev/null); fi
  missing=""
  for m in virtio_blk virtio_scsi virtio_net virtio_pci; do
    grep -qE "/${m}\.ko" <<<"$list" || grep -qE "/${m}\.ko" "$R/lib/modules/$kver/modules.builtin" 2>/dev/null || missing+=" $m"
  done
  if [ -z "$list" ]; then check virtio-initramfs fail "cannot list ${img#"$R"} (lsinitramfs/lsinitrd missing or failed)"
  elif [ -n "$missing" ]; then check virtio-initramfs fail "missing from ${img#"$R"}:$missing"
  else check virtio-initramfs pass "virtio_blk, virtio_scsi, virtio_net, virtio_pci in ${img#"$R"}"; fi
fi

if [ -s "$R/etc/machine-id" ]; then check machine-id-empty fail "/etc/machine-id is set (every instance would share it)"
else check machine-id-empty pass "/etc/machine-id empty or absent"; fi

f=$(find "$R"/var/lib/dhcp "$R"/var/lib/dhclient "$R"/var/lib/NetworkManager -maxdepth 1 -type f \( -name '*.lease*' -o -name '*lease' \) -size +0 2>/dev/null)
if [ -n "$f" ]; then check no-dhcp-leases fail "DHCP leases: $(short <<<"$f")"
else check no-dhcp-leases pass "no DHCP leases"; fi

if [ -e "$R/var/lib/image-factory" ]; then check no-build-files fail "/var/lib/image-factory is still present"
else check no-build-files pass "build files removed"; fi

fi # end of the build-time checks (not --audit)

os=$(sed -n 's/^PRETTY_NAME=//p' "$R/etc/os-release" 2>/dev/null | tr -d '"')
printf '{"passed":%s,"os":%s,"checks":[%s]}\n' "$([ $FAILED = 0 ] && echo true || echo false)" "$(jstr "$os")" "$ITEMS"
exit $FAILED
