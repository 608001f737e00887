import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { imageDefinitionSchema, type ImageSpec } from './schema.js';
import { formatIssue, formatPath } from './issues.js';
import { UserError } from '../errors.js';
import { listingFileProblems } from './listing-files.js';

export interface LoadedImage {
  /** Folder name under images/: names the stacks (`<name>-builder`) and the dist folder. */
  readonly name: string;
  /** Absolute path of the image folder. */
  readonly dir: string;
  /** The definition file, relative to the project root, as shown in errors. */
  readonly file: string;
  readonly spec: ImageSpec;
}

/**
 * 2 to 24 characters: resource names are `<image>-builder-<build id (20)>-subnet`, and VPC,
 * subnet and security group names are limited to 64 characters.
 */
export const IMAGE_NAME = /^[a-z0-9][a-z0-9-]{0,22}[a-z0-9]$/;

export function invalidDefinition(file: string, lines: string[]): UserError {
  return new UserError(`${file}: invalid image definition\n${lines.map((l) => `  - ${l}`).join('\n')}`);
}

/** Validates raw definition data from `file`; pure, so tests can call it without a folder. */
export function validateDefinition(raw: unknown, file: string): ImageSpec {
  const parsed = imageDefinitionSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw invalidDefinition(file, parsed.error.issues.map(formatIssue));
  return parsed.data;
}

/** Files a definition names must exist inside its folder. */
function missingFiles(spec: ImageSpec, dir: string): string[] {
  const problems: string[] = [];
  const check = (path: readonly PropertyKey[], rel: string) => {
    const abs = join(dir, rel);
    if (!existsSync(abs) || !statSync(abs).isFile()) problems.push(`${formatPath(path)}: expected a file in the image folder, found no file "${rel}" in ${dir}`);
  };
  for (const list of ['install', 'tests'] as const) {
    spec[list].forEach((step, i) => {
      check([list, i, 'script'], step.script);
      step.files.forEach((f, j) => check([list, i, 'files', j, 'source'], f.source));
    });
  }
  return problems;
}

export async function loadImage(dir: string, root = process.cwd()): Promise<LoadedImage> {
  const abs = resolve(dir);
  const name = abs.split('/').pop()!;
  const fileAbs = join(abs, 'image.ts');
  const file = relative(root, fileAbs) || fileAbs;
  if (!IMAGE_NAME.test(name)) {
    throw new UserError(`${file}: the image folder name "${name}" is not usable: expected 2 to 24 lowercase letters, digits and "-" (it names the stacks "${name}-builder" and "${name}-release"); rename the folder`);
  }
  if (!existsSync(fileAbs)) throw new UserError(`${file}: no image definition found; create it with \`export default defineImage({ ... })\``);
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(fileAbs).href);
  } catch (err) {
    throw new UserError(`${file}: the definition could not be loaded: ${(err as Error).message}`);
  }
  if (mod.default === undefined) throw new UserError(`${file}: expected \`export default defineImage({ ... })\`, found no default export`);
  const spec = validateDefinition(mod.default, file);
  const problems = [...missingFiles(spec, abs), ...listingFileProblems(spec.listing, abs)];
  if (problems.length) throw invalidDefinition(file, problems);
  return { name, dir: abs, file, spec };
}

/** Every image under `imagesDir`, sorted by name; all definition errors are reported together. */
export async function loadAllImages(imagesDir: string, root = process.cwd()): Promise<LoadedImage[]> {
  if (!existsSync(imagesDir)) throw new UserError(`${relative(root, imagesDir) || imagesDir}: no images folder; create images/<name>/image.ts`);
  const dirs = readdirSync(imagesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const images: LoadedImage[] = [];
  const errors: string[] = [];
  for (const d of dirs) {
    try {
      images.push(await loadImage(join(imagesDir, d), root));
    } catch (err) {
      if (err instanceof UserError) errors.push(err.message);
      else throw err;
    }
  }
  if (errors.length) throw new UserError(errors.join('\n'));
  return images;
}

/** Finds one image by name, with the list of known ones when it does not exist. */
export async function loadNamedImage(imagesDir: string, name: string, root = process.cwd()): Promise<LoadedImage> {
  const dir = join(imagesDir, name);
  if (!existsSync(join(dir, 'image.ts'))) {
    const known = existsSync(imagesDir) ? readdirSync(imagesDir).filter((d) => existsSync(join(imagesDir, d, 'image.ts'))) : [];
    throw new UserError(`unknown image "${name}": expected one of ${known.join(', ') || '(none)'} (folders under ${relative(root, imagesDir) || imagesDir} with an image.ts)`);
  }
  return loadImage(dir, root);
}
