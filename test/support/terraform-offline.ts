/**
 * Runs a synthesized buyer template under a real `terraform plan` without the huaweicloud
 * provider (which cannot be downloaded here): every huaweicloud resource becomes a
 * terraform_data whose `input` is the resource's arguments (with the same count and
 * preconditions), every reference to a resource's attribute reads a local holding made-up
 * computed attributes (id, address ...), and every data source becomes a local computed from
 * its own arguments by a fake. Variables, validations, locals, conditionals and preconditions
 * are Terraform's own, so a plan shows what the template would ask the provider to create.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Obj = Record<string, unknown>;
type Tf = { variable?: Obj; locals?: Obj; output?: Record<string, Obj>; resource?: Record<string, Record<string, Obj>>; data?: Record<string, Record<string, Obj>> };

/** Raw HCL expression of a data source's result, from its arguments' raw expressions. */
export type DataFake = (args: Record<string, string>) => string;

export const terraformAvailable = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

const ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
const META = new Set(['count', 'lifecycle', 'depends_on', 'provider', 'for_each']);

/** Made-up computed attributes a template reads from its resources. */
const COMPUTED: Record<string, Obj> = {
  huaweicloud_vpc_eip: { address: '203.0.113.10' },
  huaweicloud_compute_instance: { access_ip_v4: '192.168.1.10' },
};

/** `${expr}` -> `expr`; a literal -> its HCL form. */
function raw(value: unknown): string {
  if (typeof value === 'string') {
    const m = /^\$\{([\s\S]*)\}$/.exec(value);
    return m ? m[1] : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

function rewrite(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/\bdata\.(huaweicloud_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g, 'local.d__$1__$2')
      .replace(/(?<![.\w])(huaweicloud_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g, 'local.r__$1__$2');
  }
  if (Array.isArray(value)) return value.map(rewrite);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
  return value;
}

/** The provider-free configuration of `tf`. */
export function offlineConfig(tf: Tf, fakes: Record<string, DataFake>): Obj {
  const locals: Obj = { ...(rewrite(tf.locals ?? {}) as Obj) };
  const data: Obj = {};
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const computed = { id: `${type}.${name}-id`, ...COMPUTED[type] };
      const hcl = `{ ${Object.entries(computed).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')} }`;
      locals[`r__${type}__${name}`] = body.count === undefined ? computed : `\${[for i in range(${rewrite(raw(body.count))}) : ${hcl}]}`;
      const input = Object.fromEntries(Object.entries(body).filter(([k]) => !META.has(k)));
      const lifecycle = body.lifecycle as { precondition?: unknown[] } | undefined;
      data[`${type}__${name}`] = {
        ...(body.count === undefined ? {} : { count: rewrite(body.count) }),
        input: rewrite(input),
        ...(lifecycle?.precondition ? { lifecycle: { precondition: rewrite(lifecycle.precondition) } } : {}),
      };
    }
  }
  for (const [type, byName] of Object.entries(tf.data ?? {})) {
    const fake = fakes[type];
    if (!fake) throw new Error(`no fake for data source ${type}`);
    for (const [name, body] of Object.entries(byName)) {
      const args = Object.fromEntries(Object.entries(body).filter(([k]) => !META.has(k)).map(([k, v]) => [k, rewrite(raw(v)) as string]));
      locals[`d__${type}__${name}`] = `\${${fake(args)}}`;
    }
  }
  return {
    variable: tf.variable,
    locals,
    resource: { terraform_data: data },
    output: rewrite(tf.output ?? {}),
  };
}

export interface PlanResult {
  readonly ok: boolean;
  /** stdout + stderr, for error messages. */
  readonly out: string;
  /** terraform_data inputs by the original resource address (huaweicloud_x.name[, index]). */
  readonly resources: Record<string, Obj>;
  readonly outputs: Record<string, unknown>;
}

/** A directory with the offline configuration, initialised once; plan() runs `terraform plan`. */
export function offlineTerraform(tf: Tf, fakes: Record<string, DataFake>) {
  const dir = mkdtempSync(join(tmpdir(), 'template-offline-'));
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(offlineConfig(tf, fakes), null, 2));
  execFileSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env: ENV, stdio: 'pipe' });
  return {
    dir,
    plan(vars: Record<string, string>): PlanResult {
      const args = ['plan', '-input=false', '-no-color', '-lock=false', '-out=tfplan', ...Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`])];
      const r = spawnSync('terraform', args, { cwd: dir, encoding: 'utf8', env: ENV });
      // Terraform wraps messages at 80 columns: whitespace is collapsed so messages match whole.
      const out = `${r.stdout}${r.stderr}`.replace(/\s+/g, " ");
      if (r.status !== 0) return { ok: false, out, resources: {}, outputs: {} };
      const shown = JSON.parse(execFileSync('terraform', ['show', '-json', 'tfplan'], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 64 << 20 })) as {
        planned_values: { outputs?: Record<string, { value: unknown }>; root_module: { resources?: { type: string; name: string; index?: number; values: { input: Obj } }[] } };
      };
      const resources: Record<string, Obj> = {};
      for (const res of shown.planned_values.root_module.resources ?? []) {
        const [type, name] = res.name.split('__');
        resources[`${type}.${name}${res.index === undefined ? '' : `[${res.index}]`}`] = res.values.input;
      }
      const outputs = Object.fromEntries(Object.entries(shown.planned_values.outputs ?? {}).map(([k, v]) => [k, v.value]));
      return { ok: true, out, resources, outputs };
    },
  };
}

/**
 * Fakes of the data sources the buyer template reads. The KooGallery asset resolves to an image
 * ID made of its asset ID, version and region, except in `regionWithoutImage`, where it has none.
 */
export function templateFakes(regionWithoutImage = 'none'): Record<string, DataFake> {
  return {
    huaweicloud_availability_zones: (a) => `{ names = ["\${${a.region}}a", "\${${a.region}}b"] }`,
    huaweicloud_koogallery_assets: (a) => `{ assets = [for i in [0] : { asset_id = ${a.asset_id}, deployed_type = ${a.deployed_type}, version = ${a.asset_version}, region = ${a.region}, image_deployed_object = [{ image_id = "image-of-\${${a.asset_id}}-\${${a.asset_version}}-in-\${${a.region}}" }] } if ${a.region} != ${JSON.stringify(regionWithoutImage)}] }`,
  };
}
