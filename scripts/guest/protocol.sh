# shellcheck shell=bash
# Console protocol, bash side. Must match stacks/guest/protocol.ts (see the format there).
IF_CONSOLE="${IF_CONSOLE:-}"

# The serial console the pipeline reads (ECS console-output, QEMU -serial); IF_CONSOLE overrides.
if_console_device() {
  if [ -n "$IF_CONSOLE" ]; then echo "$IF_CONSOLE"; return; fi
  if [ -w /dev/ttyS0 ] && ( : >/dev/ttyS0 ) 2>/dev/null; then echo /dev/ttyS0; else echo /dev/console; fi
}

# Percent-encodes one value the way encodeURIComponent does (bytes outside A-Za-z0-9-_.!~*'()).
if_encode() {
  local LC_ALL=C s="$1" out="" c i
  for (( i = 0; i < ${#s}; i++ )); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9_.!~*\'\(\)-]) out+="$c" ;;
      *) printf -v c '%%%02X' "'$c"; out+="$c" ;;
    esac
  done
  printf '%s' "$out"
}

# if_emit key value [key value ...]: one protocol line to the serial console (and stdout).
if_emit() {
  local line="IMAGE-FACTORY"
  while [ $# -ge 2 ]; do line+=" $1=$(if_encode "$2")"; shift 2; done
  [ -n "${IF_DEV:-}" ] || IF_DEV=$(if_console_device)
  printf '%s\n' "$line" >>"$IF_DEV" 2>/dev/null || true
  printf '%s\n' "$line"
}
