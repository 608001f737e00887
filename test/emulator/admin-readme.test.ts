/**
 * scripts/emulator/README.md's admin API reference against the code that serves it: every route
 * admin.ts answers, every fault field faults.ts accepts, every setting PATCH /_emulator/config
 * accepts (admin.ts configPatch, account.ts durations), each in its table, and no row the code
 * does not accept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultSpecSchema } from '../../scripts/emulator/faults.js';
import { DEFAULT_DURATIONS } from '../../scripts/emulator/account.js';

const root = join(import.meta.dirname, '..', '..');
const admin = readFileSync(join(root, 'scripts/emulator/admin.ts'), 'utf8');
const readme = readFileSync(join(root, 'scripts/emulator/README.md'), 'utf8');
const reference = readme.slice(readme.indexOf('## Admin API'), readme.indexOf('\n## ', readme.indexOf('## Admin API') + 1));

/** The first cell of every row of the table that follows `lead` in the reference. */
function firstCells(lead: string): string[] {
  const at = reference.indexOf(lead);
  expect(at, `"${lead}" in scripts/emulator/README.md`).toBeGreaterThan(-1);
  const rows = reference.slice(at).split('\n\n').find((block) => block.startsWith('| '))!.split('\n').slice(2);
  return rows.map((r) => /^\| `([^`]+)` \|/.exec(r)![1]);
}

/** The top-level keys of a `z.object({ ... })` in admin.ts, by indentation. */
function objectKeys(name: string, indent: string): string[] {
  const body = admin.slice(admin.indexOf(`const ${name} = z.object({`), admin.indexOf('}).strict();', admin.indexOf(`const ${name} = z.object({`)));
  return [...body.matchAll(new RegExp(`^${indent}(\\w+): `, 'gm'))].map((m) => m[1]);
}

describe('the emulator README documents the admin API as the code accepts it', () => {
  it('every route admin.ts answers, and only those, with its method', () => {
    const routes = [...admin.matchAll(/case '([A-Z]+) (\/_emulator\/[^']*)':/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const documented = [...reference.matchAll(/^\| `([A-Z]+)` \| `(\/_emulator\/[^`]*)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(documented.sort()).toEqual(routes.sort());
    // The 404's hint names routes too: it must name only real ones.
    const hint = /no admin API \$\{route\}; see ([^`]+)`/.exec(admin)![1];
    for (const path of hint.match(/\/_emulator\/\w+/g)!) expect(routes.some((r) => r.endsWith(` ${path}`)), path).toBe(true);
  });

  it('no route reads a query parameter, as the page says', () => {
    expect(reference).toContain('No route reads a query parameter.');
    expect(admin).not.toMatch(/req\.query\b/);
  });

  it('every refusal code the admin API answers, its token header and the body limit', () => {
    const server = readFileSync(join(root, 'scripts/emulator/server.ts'), 'utf8');
    const codes = [...new Set([...`${admin}${server}`.matchAll(/'(EMU\.\d{4})'/g)].map((m) => m[1]))];
    expect(codes).toEqual(expect.arrayContaining(['EMU.0401', 'EMU.0403', 'EMU.0413', 'EMU.0415']));
    for (const code of codes) expect(reference, code).toContain(code);
    const header = /const TOKEN_HEADER = '([^']+)'/.exec(admin)![1];
    expect(reference).toContain(`\`${header}\``);
    const limit = /export const MAX_BODY = (\d+) \* 1024 \* 1024;/.exec(readFileSync(join(root, 'scripts/emulator/body.ts'), 'utf8'))![1];
    expect(readme).toContain(`over ${limit} MiB (\`MAX_BODY\``);
  });

  it('every field of both fault kinds', () => {
    const shapes = Object.fromEntries(faultSpecSchema.options.map((o) => [o.shape.kind.value, Object.keys(o.shape)]));
    expect(Object.keys(shapes).sort()).toEqual(['http', 'job']);
    expect(firstCells('HTTP faults, `"kind": "http"`').sort()).toEqual([...shapes.http].sort());
    expect(firstCells('Job faults, `"kind": "job"`').sort()).toEqual([...shapes.job].sort());
  });

  it('every setting, the guest scenario\'s fields and outcomes, and every duration', () => {
    const documented = firstCells('**Settings** (`PATCH /_emulator/config`)');
    const top = objectKeys('configPatch', '  ');
    expect(top).toEqual(expect.arrayContaining(['agencies', 'guest', 'durations', 'assets']));
    const guestAt = admin.indexOf('guest: z.object({');
    const guest = [...admin.slice(guestAt, admin.indexOf('}).strict().optional()', guestAt)).matchAll(/^ {4}(\w+): /gm)].map((m) => m[1]);
    expect(guest).toEqual(['outcome', 'step', 'mode']);
    const durations = Object.keys(DEFAULT_DURATIONS);
    expect(documented.sort()).toEqual([...top, ...guest.map((k) => `guest.${k}`), ...durations.map((k) => `durations.${k}`)].sort());
    const outcomes = /outcome: z\.enum\(\[([^\]]+)\]\)/.exec(admin)![1].match(/'[^']+'/g)!.map((o) => o.slice(1, -1));
    const row = reference.split('\n').find((l) => l.startsWith('| `guest.outcome` |'))!;
    for (const o of outcomes) expect(row, o).toContain(`\`${o}\``);
  });
});
