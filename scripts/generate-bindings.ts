/**
 * Regenerates the Huawei Cloud provider bindings offline.
 *
 *   npm run generate:bindings -- --schema path/to/provider-schema.json.gz   (from `terraform providers schema -json`)
 *       re-extracts stacks/provider/schema.json (the subset named in used-types.json) from a
 *       full `terraform providers schema -json` dump, then regenerates the bindings;
 *   npm run generate:bindings
 *       regenerates stacks/.gen from the committed subset only.
 *
 * The subset keeps names, types, nesting and required/optional/computed/sensitive flags (the
 * provider's interface) and drops description texts, as `cdktf get` would have no use for them.
 */
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CodeMaker } from 'codemaker';
import { ConstructsMakerProviderTarget, TerraformProviderConstraint, Language } from '@cdktf/commons';
import { TerraformProviderGenerator } from '@cdktf/provider-generator/lib/get/generator/provider-generator.js';
import { writeFileAtomic } from './lib/fs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const providerDir = join(root, 'stacks', 'provider');
const genDir = join(root, 'stacks', '.gen');
const FQPN = 'registry.terraform.io/huaweicloud/huaweicloud';

interface UsedTypes {
  provider: { source: string; version: string; constraint: string };
  resources: string[];
  dataSources: string[];
}

type Json = Record<string, unknown>;

const DOC_FIELDS = new Set(['description', 'description_kind', 'deprecated']);

/**
 * Drops documentation fields from a schema node. Inside `attributes` and `block_types` the keys
 * are attribute and block names (an attribute may be called "description"), so those maps are
 * walked by name and only their values are stripped.
 */
function stripDocs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripDocs);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (DOC_FIELDS.has(k) && typeof v !== 'object') continue;
    if ((k === 'attributes' || k === 'block_types') && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([name, def]) => [name, stripDocs(def)]));
    } else {
      out[k] = stripDocs(v);
    }
  }
  return out;
}

export function extractSubset(full: Json, used: UsedTypes): Json {
  const provider = (full.provider_schemas as Json)[FQPN] as Json;
  if (!provider) throw new Error(`schema has no provider ${FQPN}`);
  const pick = (kind: 'resource_schemas' | 'data_source_schemas', names: string[]) => {
    const all = provider[kind] as Json;
    const missing = names.filter((n) => !(n in all));
    if (missing.length) throw new Error(`the provider schema has no ${kind} ${missing.join(', ')}`);
    return Object.fromEntries([...names].sort().map((n) => [n, stripDocs(all[n])]));
  };
  return {
    format_version: full.format_version,
    provider_schemas: {
      [FQPN]: {
        provider: stripDocs(provider.provider),
        resource_schemas: pick('resource_schemas', used.resources),
        data_source_schemas: pick('data_source_schemas', used.dataSources),
      },
    },
  };
}

export function readUsedTypes(): UsedTypes {
  return JSON.parse(readFileSync(join(providerDir, 'used-types.json'), 'utf8')) as UsedTypes;
}

/** Generates the TypeScript bindings for `schema` into `outDir` (replacing what is there). */
export async function generateBindings(schema: Json, used: UsedTypes, outDir: string): Promise<void> {
  const constraint = new TerraformProviderConstraint(`${used.provider.source}@${used.provider.constraint}`);
  const target = new ConstructsMakerProviderTarget(constraint, Language.TYPESCRIPT);
  const code = new CodeMaker();
  code.indentation = 2;
  const generator = new TerraformProviderGenerator(code, schema);
  // The constraint (~> 1.97) is what the synthesized configuration requires; the generator
  // records the exact schema version it was generated from.
  generator.versions[FQPN] = used.provider.version;
  generator.generate(target);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await code.save(outDir);
}

async function main() {
  const { values } = parseArgs({ options: { schema: { type: 'string' } } });
  const used = readUsedTypes();
  const subsetPath = join(providerDir, 'schema.json');
  if (values.schema) {
    const raw = readFileSync(values.schema);
    const text = values.schema.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    const subset = extractSubset(JSON.parse(text) as Json, used);
    writeFileAtomic(subsetPath, JSON.stringify(subset, null, 1) + '\n');
    console.log(`wrote ${subsetPath} (${used.resources.length} resources, ${used.dataSources.length} data sources)`);
  }
  await generateBindings(JSON.parse(readFileSync(subsetPath, 'utf8')) as Json, used, genDir);
  console.log(`generated bindings in ${genDir}`);
}

// Run as a script; importing it (tests) only exposes the functions.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
