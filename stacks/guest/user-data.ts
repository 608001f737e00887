/**
 * The builder's user_data bundle: a gzip-compressed #cloud-config that writes the guest
 * scripts (scripts/guest/*.sh), the plan and the image's step scripts and files under
 * /var/lib/image-factory, then starts the runner. cloud-init accepts gzip user data
 * ("Passing User Data to ECSs", https://support.huaweicloud.com/intl/en-us/usermanual-ecs/en-us_topic_0032380449.html);
 * the 32 KB limit applies to the compressed bytes, before base64.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ECS } from '../catalogue/ims-rules.js';
import { UserError } from '../errors.js';
import { imageFile } from '../definition/image-files.js';
import type { RunMode } from './protocol.js';

export const GUEST_HOME = '/var/lib/image-factory';
export const GUEST_SCRIPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'guest');

export interface GuestStep {
  readonly name: string;
  /** Script path relative to the image folder. */
  readonly script: string;
  readonly timeoutMinutes: number;
  readonly files: readonly { readonly source: string; readonly destination: string; readonly mode: string }[];
}

export interface GuestPlan {
  readonly mode: RunMode;
  readonly buildId: string;
  /** Image folder that step scripts and files are read from. */
  readonly imageDir: string;
  /** The image's frozen files (freezeImage), read in place of the folder's. */
  readonly imageFiles?: ReadonlyMap<string, Buffer>;
  readonly steps: readonly GuestStep[];
  /** Overall budget for all steps (the definition's build.timeoutMinutes); the runner defaults to the sum of step timeouts + 30 min. */
  readonly timeoutMinutes?: number;
  /** Self-check ids waived by the definition, with their reasons. */
  readonly waivers?: Readonly<Record<string, string>>;
  /** The definition's securityGroup: the self-check warns of listeners on ports it does not declare. */
  readonly securityGroup?: readonly { readonly protocol: string; readonly ports?: string }[];
  /** Used in the size error to name the definition file. */
  readonly definitionFile?: string;
}

export interface UserDataBundle {
  readonly cloudConfig: string;
  /** gzip bytes: what the guest receives after base64 decoding. */
  readonly gzipped: Buffer;
  /** What goes into the ECS `user_data` attribute (the provider passes base64 through). */
  readonly base64: string;
  readonly bytes: number;
}

interface WriteFile { path: string; permissions: string; owner: string; encoding?: string; content: string }

/** Where a part of the bundle comes from, to name the largest ones when it is too big. */
interface Contributor { readonly what: string; readonly content: Buffer }

function fileEntry(path: string, content: Buffer, permissions: string): WriteFile {
  const text = content.toString('utf8');
  // Text goes in as-is (gzip compresses it best); anything not valid UTF-8 goes in as base64.
  if (Buffer.from(text, 'utf8').equals(content)) return { path, permissions, owner: 'root:root', content: text };
  return { path, permissions, owner: 'root:root', encoding: 'b64', content: content.toString('base64') };
}

/** Tab-separated plan read by runner.sh: mode, build id, overall timeout (seconds, optional), steps, their files, waivers, declared ports. */
function renderPlan(plan: GuestPlan): string {
  const rows: string[][] = [['mode', plan.mode], ['build', plan.buildId]];
  if (plan.timeoutMinutes !== undefined) rows.push(['timeout', String(plan.timeoutMinutes * 60)]);
  plan.steps.forEach((s, i) => {
    const n = String(i + 1).padStart(2, '0');
    rows.push(['step', String(i + 1), s.name, String(s.timeoutMinutes * 60), `steps/${n}/run.sh`]);
    s.files.forEach((f, j) => rows.push(['file', String(i + 1), `steps/${n}/files/${j}`, f.destination, f.mode]));
  });
  for (const [id, reason] of Object.entries(plan.waivers ?? {})) rows.push(['waive', id, reason.replace(/[\t\n]/g, ' ')]);
  for (const rule of plan.securityGroup ?? []) if (rule.ports) rows.push(['port', rule.protocol, rule.ports]);
  // runner.sh checks its own scripts against these before any step runs (a step cannot swap them).
  for (const g of guestScripts()) rows.push(['sha256', g.name, createHash('sha256').update(g.content).digest('hex')]);
  return rows.map((r) => r.join('\t')).join('\n') + '\n';
}

export function guestScripts(): { name: string; content: Buffer }[] {
  return readdirSync(GUEST_SCRIPTS_DIR)
    .filter((f) => f.endsWith('.sh'))
    .sort()
    .map((name) => ({ name, content: stripComments(readFileSync(join(GUEST_SCRIPTS_DIR, name))) }));
}

/** Drops full-line comments (keeping the shebang and shellcheck directives): they cost ~20% of the 32 KB budget. */
function stripComments(script: Buffer): Buffer {
  const lines = script.toString('utf8').split('\n');
  return Buffer.from(lines.filter((l, i) => (i === 0 && l.startsWith('#!')) || !/^\s*#/.test(l)).join('\n'));
}

/** The cloud-config and what each part of it came from (guest scripts, step scripts and files). */
function buildCloudConfig(plan: GuestPlan): { text: string; contributors: Contributor[] } {
  const scripts = guestScripts();
  const files: WriteFile[] = scripts.map((s) => fileEntry(`${GUEST_HOME}/${s.name}`, s.content, '0700'));
  const contributors: Contributor[] = [{ what: `the factory's guest scripts (${scripts.map((s) => s.name).join(', ')})`, content: Buffer.concat(scripts.map((s) => s.content)) }];
  files.push(fileEntry(`${GUEST_HOME}/plan.tsv`, Buffer.from(renderPlan(plan)), '0600'));
  const list = plan.mode === 'build' ? 'install' : 'tests';
  plan.steps.forEach((s, i) => {
    const n = String(i + 1).padStart(2, '0');
    const script = imageFile({ dir: plan.imageDir, files: plan.imageFiles }, s.script);
    files.push(fileEntry(`${GUEST_HOME}/steps/${n}/run.sh`, script, '0700'));
    contributors.push({ what: `${list}[${i}].script "${s.script}"`, content: script });
    s.files.forEach((f, j) => {
      const bytes = imageFile({ dir: plan.imageDir, files: plan.imageFiles }, f.source);
      files.push(fileEntry(`${GUEST_HOME}/steps/${n}/files/${j}`, bytes, '0600'));
      contributors.push({ what: `${list}[${i}].files[${j}].source "${f.source}"`, content: bytes });
    });
  });
  const config = {
    write_files: files,
    runcmd: [['bash', `${GUEST_HOME}/runner.sh`]],
  };
  // JSON is valid YAML, and needs no quoting rules of its own for arbitrary script text.
  return { text: `#cloud-config\n${JSON.stringify(config)}\n`, contributors };
}

export function renderUserData(plan: GuestPlan): UserDataBundle {
  const { text: cloudConfig, contributors } = buildCloudConfig(plan);
  const gzipped = gzipSync(Buffer.from(cloudConfig, 'utf8'), { level: 9 });
  const bundle = { cloudConfig, gzipped, base64: gzipped.toString('base64'), bytes: gzipped.length };
  if (bundle.bytes > ECS.userDataMaxBytes) {
    const where = plan.definitionFile ? `${plan.definitionFile}: ` : '';
    throw new UserError(
      `${where}${plan.mode === 'build' ? 'install' : 'tests'}: the user_data bundle is ${bundle.bytes} bytes gzip-compressed (${Buffer.byteLength(cloudConfig)} bytes before compression), ` +
        `over the ECS limit of ${ECS.userDataMaxBytes} bytes; expected smaller step scripts and files: download large payloads inside a step (e.g. from OBS or a package mirror) instead of shipping them in the image folder. Largest contributors:\n` +
        largest(contributors).map((c) => `    ${c.what}: ${c.bytes} bytes, ${c.gzipBytes} gzip-compressed alone`).join('\n'),
    );
  }
  return bundle;
}

/** The five parts that weigh most in the compressed bundle, heaviest first. */
function largest(contributors: readonly Contributor[]): { what: string; bytes: number; gzipBytes: number }[] {
  return contributors
    .map((c) => ({ what: c.what, bytes: c.content.length, gzipBytes: gzipSync(c.content, { level: 9 }).length }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes)
    .slice(0, 5);
}
