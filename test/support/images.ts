/** Builds image definitions for tests: a temp image folder with scripts, validated like a real one. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { validateDefinition, type LoadedImage } from '../../stacks/definition/load.js';
import type { ImageDefinitionInput } from '../../stacks/definition/schema.js';

export const baseDefinition = (): ImageDefinitionInput => ({
  product: { nameZh: '测试产品', nameEn: 'Test Product' },
  version: 'V1.0',
  buildVersion: '1.0.0',
  site: 'intl',
  buildRegion: 'ap-southeast-3',
  targetRegions: ['ap-southeast-2', 'af-south-1'],
  baseImage: { name: 'Ubuntu 22.04 server 64bit' },
  flavors: ['s7.large.2', 'c7.large.2'],
  install: [
    { name: 'install', script: 'install.sh', files: [{ source: 'files/app.conf', destination: '/etc/app.conf', mode: '0644' }] },
    { name: 'configure', script: 'configure.sh' },
  ],
  tests: [{ name: 'smoke', script: 'test.sh' }],
  securityGroup: [{ protocol: 'tcp', ports: '443', description: 'HTTPS' }],
  tags: { team: 'qa' },
  build: { agencyName: 'ims_agency' },
});

/** Writes the scripts a definition names into a fresh folder; extra files override. */
export function makeImage(
  overrides: Partial<ImageDefinitionInput> = {},
  { name = 'demo', files = {} as Record<string, string | Buffer> } = {},
): LoadedImage {
  const root = mkdtempSync(join(tmpdir(), 'image-factory-test-'));
  const dir = join(root, name);
  const raw = { ...baseDefinition(), ...overrides } as ImageDefinitionInput;
  const all: Record<string, string | Buffer> = {
    'install.sh': '#!/bin/bash\necho install\n',
    'configure.sh': '#!/bin/bash\necho configure\n',
    'test.sh': '#!/bin/bash\necho test\n',
    'files/app.conf': 'key=value\n',
    ...files,
  };
  for (const [rel, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  const file = `images/${name}/image.ts`;
  return { name, dir, file, spec: validateDefinition(raw, file) };
}
