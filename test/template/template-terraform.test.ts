/**
 * The buyer template's variables, validations and preconditions, evaluated by Terraform itself
 * (`terraform plan` needs no provider download for a configuration that uses none): the
 * template's variable blocks plus a terraform_data that carries the instance's preconditions.
 * Skipped only when no terraform binary is on PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthTemplate } from '../../scripts/template/write.js';
import { makeListedImage } from '../listing/fixtures.js';

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

type Tf = { variable: Record<string, unknown>; locals: Record<string, unknown>; resource: Record<string, Record<string, { lifecycle?: { precondition?: unknown[] } }>> };

describe.skipIf(!terraform)('buyer template under terraform plan', () => {
  let dir: string;
  beforeAll(() => {
    const tf = synthTemplate(makeListedImage(), { 'ap-southeast-3': '0d3f1c2a-1111-4c4c-9a9a-000000000003' }) as unknown as Tf;
    const instance = Object.values(tf.resource.huaweicloud_compute_instance)[0];
    dir = mkdtempSync(join(tmpdir(), 'template-tf-'));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({
      variable: tf.variable,
      locals: tf.locals,
      resource: { terraform_data: { instance: { input: 'x', lifecycle: { precondition: instance.lifecycle!.precondition } } } },
    }));
    execFileSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } });
  });

  const plan = (vars: Record<string, string>) => {
    const args = ['plan', '-input=false', '-no-color', '-lock=false', ...Object.entries({ admin_password: 'Abcdef12', ...vars }).flatMap(([k, v]) => ['-var', `${k}=${v}`])];
    const r = spawnSync('terraform', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } });
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  };

  it('accepts the defaults with a valid password', () => {
    expect(plan({})).toMatchObject({ ok: true });
  });

  it('rejects a weak password and an incomplete existing network', () => {
    expect(plan({ admin_password: 'abcdefgh' }).out).toMatch(/at least 3 of/);
    expect(plan({ vpc_id: '12345678-1234-1234-1234-123456789012' }).out).toMatch(/Give both vpc_id and subnet_id/);
  });

  it('accepts 9 months and 3 years prepaid, rejects more than 3 years', () => {
    expect(plan({ charging_mode: 'prePaid', charging_period: '9' })).toMatchObject({ ok: true });
    expect(plan({ charging_mode: 'prePaid', charging_period_unit: 'year', charging_period: '3' })).toMatchObject({ ok: true });
    const r = plan({ charging_mode: 'prePaid', charging_period_unit: 'year', charging_period: '4' });
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/1 to 3 years/);
  });
}, 60_000);
