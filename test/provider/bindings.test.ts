import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateBindings, readUsedTypes } from '../../scripts/generate-bindings.js';
import { loadProviderSchema, PROVIDER_FQN } from '../../stacks/schema-check.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

describe('provider bindings', () => {
  const used = readUsedTypes();
  const schema = loadProviderSchema();
  const provider = schema.provider_schemas[PROVIDER_FQN];

  it('the committed schema holds exactly the used types, without description texts', () => {
    expect(Object.keys(provider.resource_schemas).sort()).toEqual([...used.resources].sort());
    expect(Object.keys(provider.data_source_schemas).sort()).toEqual([...used.dataSources].sort());
    const text = JSON.stringify(schema);
    expect(text).not.toContain('"description_kind"');
    // An attribute may be *named* description (ims_ecs_system_image has one): it must survive.
    expect(provider.resource_schemas.huaweicloud_ims_ecs_system_image.block.attributes).toHaveProperty('description');
  });

  it('the committed bindings are exactly what the generator makes from the committed schema', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bindings-'));
    await generateBindings(schema as never, used, out);
    const committed = join(process.cwd(), 'stacks', '.gen');
    const generated = files(out).map((f) => relative(out, f)).sort();
    expect(generated).toEqual(files(committed).map((f) => relative(committed, f)).sort());
    for (const f of generated) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(committed, f), 'utf8'));
  });
});
