/**
 * What a step script must be for the guest runner (scripts/guest/runner.sh) to run it as
 * written. The runner starts every step as `/bin/bash <script>`, so the script's shebang line is
 * never executed: a shebang naming another interpreter, or passing options (`#!/bin/bash -e`),
 * would be silently ignored. The factory rejects those rather than honour them, so every step
 * runs one way, with bash, and a definition never promises what the guest will not do.
 * Every problem here would otherwise surface only on the build ECS, after it is billed.
 */

/** A shebang the runner agrees with: bash, without options. */
const BASH_SHEBANG = /^#!\s*(?:\/usr)?\/bin\/bash\s*$|^#!\s*\/usr\/bin\/env\s+bash\s*$/;

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(bytes: Buffer): number {
  const roundTrip = Buffer.from(bytes.toString('utf8'), 'utf8');
  if (roundTrip.equals(bytes)) return -1;
  let i = 0;
  while (i < bytes.length && bytes[i] === roundTrip[i]) i++;
  // Back up to the start of the character the decoder replaced.
  while (i > 0 && (bytes[i] & 0xc0) === 0x80) i--;
  return i;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/**
 * Why `bytes` (the script `name`) cannot run as a step, each as a clause that follows "found":
 * empty, binary, not UTF-8, byte-order mark, CRLF line endings, or a shebang the runner ignores.
 */
export function scriptProblems(name: string, bytes: Buffer): string[] {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return [`"${name}", binary content (a NUL byte at offset ${nul}); a step is a bash script: ship binaries as step files or download them in the step`];
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) return [`"${name}", text that is not UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad}); save it as UTF-8 (e.g. \`iconv -f latin1 -t utf-8\`)`];
  const text = bytes.toString('utf8');
  const problems: string[] = [];
  if (text.startsWith('\uFEFF')) problems.push(`"${name}", a UTF-8 byte-order mark before the first line; bash would run it as part of the first command: save the file without BOM`);
  const crlf = text.indexOf('\r\n');
  if (crlf >= 0) {
    problems.push(`"${name}", Windows (CRLF) line endings (first on line ${lineOf(text, crlf)}); bash reads the \\r as part of each command and fails (e.g. "set: pipefail: invalid option name") only once the build ECS is running and billed: convert it with \`sed -i 's/\\r$//' ${name}\` (or dos2unix) and add \`*.sh text eol=lf\` to .gitattributes`);
  }
  const commands = text.replace(/^\uFEFF/, '').split('\n').filter((line) => !/^\s*(#.*)?\r?$/.test(line));
  if (commands.length === 0) problems.push(`"${name}", ${text.length === 0 ? 'an empty file' : 'no commands (only blank lines and comments)'}; write the step's commands, or remove the step`);
  const first = text.replace(/^\uFEFF/, '').split('\n')[0].replace(/\r$/, '');
  if (first.startsWith('#!') && !BASH_SHEBANG.test(first)) {
    const options = /^#!\s*(?:\/usr)?\/bin\/bash\s+(.+)$|^#!\s*\/usr\/bin\/env\s+bash\s+(.+)$/.exec(first);
    problems.push(options
      ? `"${name}", the shebang "${first}" with options the runner ignores (it starts every step as \`/bin/bash ${name}\`); use "#!/bin/bash" and put \`set ${(options[1] ?? options[2]).trim()}\` on the next line`
      : `"${name}", the shebang "${first}", which the runner ignores: it starts every step as \`/bin/bash ${name}\`; write the step in bash (calling other interpreters from it) and start it with "#!/bin/bash"`);
  }
  return problems;
}
