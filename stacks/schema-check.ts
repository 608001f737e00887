/**
 * Checks a synthesized stack (cdk.tf.json) against the committed provider schema, as
 * `terraform validate` would if the provider could be installed here: unknown resource or data
 * source types, unknown attributes or blocks, computed-only attributes set, missing required
 * attributes, wrong value types and block counts all become problems naming where they are.
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>] | ['tuple', CtyType[]];

interface SchemaAttribute {
  type?: CtyType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}

interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock; min_items?: number; max_items?: number }>;
}

export interface ProviderSchema {
  provider_schemas: Record<string, {
    provider: { block: SchemaBlock };
    resource_schemas: Record<string, { block: SchemaBlock }>;
    data_source_schemas: Record<string, { block: SchemaBlock }>;
  }>;
}

export const PROVIDER_FQN = 'registry.terraform.io/huaweicloud/huaweicloud';
const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), 'provider', 'schema.json');

let cached: ProviderSchema | undefined;
/** The committed provider schema subset (stacks/provider/schema.json). */
export function loadProviderSchema(): ProviderSchema {
  cached ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as ProviderSchema;
  return cached;
}

/** Meta-arguments Terraform accepts on every resource / data source, outside the schema. */
const META = new Set(['//', 'count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

const isExpression = (v: unknown) => typeof v === 'string' && v.includes('${');

function typeProblem(type: CtyType | undefined, value: unknown, where: string): string[] {
  if (type === undefined || isExpression(value) || value === null) return [];
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [] : [`${where}: expected a string, found ${JSON.stringify(value)}`];
      case 'number':
        return typeof value === 'number' ? [] : [`${where}: expected a number, found ${JSON.stringify(value)}`];
      case 'bool':
        return typeof value === 'boolean' ? [] : [`${where}: expected a bool, found ${JSON.stringify(value)}`];
      default:
        return [];
    }
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) return [`${where}: expected a ${kind}, found ${JSON.stringify(value)}`];
    return value.flatMap((v, i) => typeProblem(inner as CtyType, v, `${where}[${i}]`));
  }
  if (kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${where}: expected a map, found ${JSON.stringify(value)}`];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => typeProblem(inner as CtyType, v, `${where}.${k}`));
  }
  if (kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${where}: expected an object, found ${JSON.stringify(value)}`];
    const fields = inner as Record<string, CtyType>;
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      k in fields ? typeProblem(fields[k], v, `${where}.${k}`) : [`${where}.${k}: unknown field of the object type`],
    );
  }
  return [];
}

/** Checks one block body (a resource's config or a nested block) against its schema block. */
function checkBlock(body: Record<string, unknown>, block: SchemaBlock, where: string, meta = true): string[] {
  const problems: string[] = [];
  const attrs = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (meta && META.has(key)) continue;
    const attr = attrs[key];
    if (attr) {
      if (attr.computed && !attr.optional && !attr.required) problems.push(`${where}.${key}: is computed by the provider and cannot be set`);
      else problems.push(...typeProblem(attr.type, value, `${where}.${key}`));
      continue;
    }
    const nested = blocks[key];
    if (!nested) {
      problems.push(`${where}.${key}: unknown attribute or block`);
      continue;
    }
    if (isExpression(value)) continue;
    // Terraform JSON accepts one object for a single block, or an array of blocks.
    const items = Array.isArray(value) ? value : [value];
    if (nested.nesting_mode === 'single' && Array.isArray(value)) problems.push(`${where}.${key}: expected one block (an object), found an array`);
    if (nested.max_items !== undefined && nested.max_items > 0 && items.length > nested.max_items) problems.push(`${where}.${key}: expected at most ${nested.max_items} block(s), found ${items.length}`);
    if (nested.min_items !== undefined && items.length < nested.min_items) problems.push(`${where}.${key}: expected at least ${nested.min_items} block(s), found ${items.length}`);
    items.forEach((item, i) => {
      if (typeof item !== 'object' || item === null) problems.push(`${where}.${key}[${i}]: expected a block (an object), found ${JSON.stringify(item)}`);
      else problems.push(...checkBlock(item as Record<string, unknown>, nested.block, `${where}.${key}[${i}]`, false));
    });
  }
  for (const [name, attr] of Object.entries(attrs)) {
    if (attr.required && !(name in body)) problems.push(`${where}.${name}: required attribute is missing`);
  }
  for (const [name, nested] of Object.entries(blocks)) {
    if ((nested.min_items ?? 0) > 0 && !(name in body)) problems.push(`${where}.${name}: required block is missing (at least ${nested.min_items})`);
  }
  return problems;
}

/** Every way `stack` (a parsed cdk.tf.json) breaks the provider schema; empty when it conforms. */
export function checkAgainstSchema(stack: Record<string, unknown>, schema: ProviderSchema = loadProviderSchema()): string[] {
  const provider = schema.provider_schemas[PROVIDER_FQN];
  const problems: string[] = [];
  const sections: [string, string, Record<string, { block: SchemaBlock }>][] = [
    ['resource', 'resource', provider.resource_schemas],
    ['data', 'data source', provider.data_source_schemas],
  ];
  for (const [section, label, types] of sections) {
    const byType = (stack[section] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [type, instances] of Object.entries(byType)) {
      const schemaOf = types[type];
      if (!schemaOf) {
        problems.push(`${section}.${type}: unknown ${label} type for huaweicloud/huaweicloud`);
        continue;
      }
      for (const [name, body] of Object.entries(instances)) {
        const where = `${section}.${type}.${name}`;
        problems.push(...checkBlock(body, schemaOf.block, where));
        // ignore_changes names arguments: a typo there silently ignores nothing.
        const ignored = ((body.lifecycle as { ignore_changes?: unknown })?.ignore_changes ?? []) as unknown;
        if (Array.isArray(ignored)) {
          for (const attr of ignored) {
            const root = String(attr).split(/[.[]/)[0];
            if (!(root in (schemaOf.block.attributes ?? {})) && !(root in (schemaOf.block.block_types ?? {}))) problems.push(`${where}.lifecycle.ignore_changes: unknown attribute "${attr}"`);
          }
        }
      }
    }
  }
  const providers = (stack.provider ?? {}) as Record<string, Record<string, unknown>[] | Record<string, unknown>>;
  for (const [name, configs] of Object.entries(providers)) {
    if (name !== 'huaweicloud') {
      problems.push(`provider.${name}: not the huaweicloud provider`);
      continue;
    }
    const list = Array.isArray(configs) ? configs : [configs];
    list.forEach((c, i) => {
      const { alias: _alias, ...rest } = c;
      problems.push(...checkBlock(rest, provider.provider.block, `provider.huaweicloud[${i}]`, false));
    });
  }
  return problems;
}
