import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { imageDefinitionSchema, type ImageDefinitionInput, type ImageSpec } from './schema.js';
import { describeValue, formatIssue } from './issues.js';
import { UserError, isUserError } from '../errors.js';
import { listingFileProblems } from './listing-files.js';
import { nonJsonValues } from './plain-data.js';
import { describeEntry, readImageFile, regularFileProblem, unsafeEntries, unsafeEntryProblems } from './image-files.js';
import { scriptProblems } from './script-rules.js';
import { renderUserData } from '../guest/user-data.js';

export interface LoadedImage {
  /** Folder name under images/: names the stacks (`<name>-builder`) and the dist folder. */
  readonly name: string;
  /** Absolute path of the image folder. */
  readonly dir: string;
  /** The definition file, relative to the project root, as shown in errors. */
  readonly file: string;
  readonly spec: ImageSpec;
  /**
   * The step scripts and files as they were read once (freezeImage), by path relative to `dir`:
   * a run synthesizes, tests and records what the definition held when it started, whatever is
   * edited in the folder meanwhile. @default - read from `dir` each time
   */
  readonly files?: ReadonlyMap<string, Buffer>;
}

/**
 * 2 to 24 characters: resource names are `<image>-builder-<build id (20)>-subnet`, and VPC,
 * subnet and security group names are limited to 64 characters.
 */
export const IMAGE_NAME = /^[a-z0-9][a-z0-9-]{0,22}[a-z0-9]$/;

function invalidDefinition(file: string, lines: string[]): UserError {
  return new UserError(`${file}: invalid image definition\n${lines.map((l) => `  - ${l}`).join('\n')}`);
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) => prefix.every((p, i) => path[i] === p);

/** Validates raw definition data from `file`; pure, so tests can call it without a folder. */
export function validateDefinition(raw: unknown, file: string): ImageSpec {
  // Values JSON cannot hold are named first; zod's own issues under them would only repeat them.
  const nonJson = nonJsonValues(raw);
  const parsed = imageDefinitionSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success || nonJson.length) {
    const issues = parsed.success ? [] : parsed.error.issues.filter((i) => !nonJson.some((n) => startsWith(i.path, n.path)));
    throw invalidDefinition(file, [...nonJson.map((n) => n.line), ...issues.map(formatIssue)]);
  }
  return parsed.data;
}

/** Files the definition names: regular files inside the folder, and step scripts bash can run as written. */
function fileProblems(spec: ImageSpec, dir: string): string[] {
  const problems: string[] = [];
  const referenced: string[] = [];
  const check = (field: string, rel: string, script: boolean) => {
    referenced.push(rel);
    const problem = regularFileProblem(dir, rel);
    if (problem) return problems.push(`${field}: expected a file in the image folder, found ${problem}`);
    if (script) for (const p of scriptProblems(rel, readImageFile(dir, rel))) problems.push(`${field}: expected a bash script the runner can run as written, found ${p}`);
  };
  for (const list of ['install', 'tests'] as const) {
    spec[list].forEach((step, i) => {
      check(`${list}[${i}].script`, step.script, true);
      step.files.forEach((f, j) => check(`${list}[${i}].files[${j}].source`, f.source, false));
    });
  }
  if (spec.listing) referenced.push(spec.listing.logo, spec.listing.usageGuide);
  // Links the definition does not name are still refused: nothing of the host belongs in the folder.
  const unnamed = new Map([...unsafeEntries(dir)].filter(([rel]) => !referenced.some((r) => r === rel || r.startsWith(`${rel}/`))));
  return [...problems, ...listingFileProblems(spec.listing, dir), ...unsafeEntryProblems(unnamed)];
}

/** The user_data bundles must fit the ECS limit: checked here so every command sees it at load time. */
function bundleProblems(spec: ImageSpec, dir: string): string[] {
  const problems: string[] = [];
  for (const mode of ['build', 'test'] as const) {
    try {
      renderUserData({ mode, buildId: '00000000T000000Z-0000', imageDir: dir, steps: mode === 'build' ? spec.install : spec.tests, waivers: spec.selfCheck.waivers, timeoutMinutes: spec.build.timeoutMinutes });
    } catch (err) {
      if (!isUserError(err)) throw err;
      problems.push(err.message);
    }
  }
  return problems;
}

/** Seconds an image.ts may take to import; a top-level await that never resolves would hang every command. */
export const IMPORT_TIMEOUT_ENV = 'IMAGE_FACTORY_IMPORT_TIMEOUT';
const DEFAULT_IMPORT_TIMEOUT_SECONDS = 30;

function importTimeoutSeconds(): number {
  const text = process.env[IMPORT_TIMEOUT_ENV];
  if (text === undefined || text.trim() === '') return DEFAULT_IMPORT_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UserError(`${IMPORT_TIMEOUT_ENV}: expected a number of seconds above 0 (the time an image.ts may take to import, ${DEFAULT_IMPORT_TIMEOUT_SECONDS} by default), found "${text}"; set it to e.g. 120 or unset it`);
  }
  return seconds;
}

/** What an import threw, as text: an Error's message without its stack, anything else as written. */
function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n').trim() || `${err.name} without a message`;
  if (typeof err === 'string') return `it threw the text "${err}"`;
  return `it threw ${describeValue(err)} (not an Error)`;
}

export async function loadImage(dir: string, root = process.cwd()): Promise<LoadedImage> {
  const abs = resolve(dir);
  const name = abs.split('/').pop()!;
  const fileAbs = join(abs, 'image.ts');
  const file = relative(root, fileAbs) || fileAbs;
  if (!IMAGE_NAME.test(name)) {
    throw new UserError(`${file}: the image folder name "${name}" is not usable: expected 2 to 24 lowercase letters, digits and "-" (it names the stacks "${name}-builder" and "${name}-release"); rename the folder`);
  }
  if (!existsSync(fileAbs) && !isLink(fileAbs)) throw new UserError(`${file}: no image definition found; create it with \`export default defineImage({ ... })\``);
  const definitionProblem = regularFileProblem(abs, 'image.ts');
  if (definitionProblem) throw invalidDefinition(file, [`image.ts: expected the definition as a regular file in the image folder, found ${definitionProblem}`]);
  const seconds = importTimeoutSeconds();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((done) => { timer = setTimeout(() => done('timeout'), seconds * 1000); });
  let imported: { default?: unknown } | 'timeout';
  try {
    imported = await Promise.race([import(pathToFileURL(fileAbs).href) as Promise<{ default?: unknown }>, timedOut]);
  } catch (err) {
    throw new UserError(`${file}: the definition could not be loaded: ${describeThrown(err)}`);
  } finally {
    clearTimeout(timer);
  }
  if (imported === 'timeout') {
    throw new UserError(`${file}: the definition did not finish loading within ${seconds} s: expected image.ts to evaluate promptly, found it still running; look for a top-level await that never resolves (a fetch or a file read without a timeout, a Promise nobody resolves) or an endless wait, and compute the value before defineImage or drop the await; on a slow machine raise ${IMPORT_TIMEOUT_ENV} (seconds, now ${seconds})`);
  }
  const mod = imported;
  if (mod.default === undefined) throw new UserError(`${file}: expected \`export default defineImage({ ... })\`, found no default export`);
  if (typeof (mod.default as { then?: unknown })?.then === 'function') {
    throw new UserError(`${file}: expected \`export default defineImage({ ... })\`, found a Promise as the default export; export the definition object itself (compute async values with top-level await before defineImage)`);
  }
  return checkedImage(mod.default, name, abs, file);
}

/** The definition's rules, then its files' and user_data bundles': every way in goes through here. */
function checkedImage(raw: unknown, name: string, dir: string, file: string): LoadedImage {
  const spec = validateDefinition(raw, file);
  const problems = fileProblems(spec, dir);
  if (problems.length) throw invalidDefinition(file, problems);
  const bundles = bundleProblems(spec, dir);
  if (bundles.length) throw new UserError(bundles.map((b) => `${file}: ${b}`).join('\n'));
  return { name, dir, file, spec };
}

export interface InlineImageOptions {
  /** Names the stacks (`<name>-builder`) and the dist folder: 2 to 24 of a-z, 0-9 and "-". */
  readonly name: string;
  /** The folder the definition's scripts and files are relative to. */
  readonly dir: string;
  /** How errors name the definition. @default - `<name> (inline definition)` */
  readonly label?: string;
}

/**
 * An image product defined in code rather than in images/<name>/image.ts, checked exactly as
 * loadImage checks a file (definition, scripts, files, user_data size). Throws a UserError
 * listing every problem.
 */
export function imageFromDefinition(definition: ImageDefinitionInput, { name, dir, label }: InlineImageOptions): LoadedImage {
  const file = label ?? `${name} (inline definition)`;
  if (!IMAGE_NAME.test(name)) throw new UserError(`${file}: the image name "${name}" is not usable: expected 2 to 24 lowercase letters, digits and "-" (it names the stacks "${name}-builder" and "${name}-release")`);
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new UserError(`${file}: the image folder ${dir} does not exist; it holds the scripts and files the definition names`);
  return checkedImage(definition, name, abs, file);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The valid images under `imagesDir` and, separately, every problem of the others. */
export interface LoadedImages {
  readonly images: LoadedImage[];
  /** One message per rejected image (or pair of images), each naming its definition file. */
  readonly problems: string[];
}

/**
 * Every image under `imagesDir`, sorted by name. A broken image never hides the others: its
 * problems are collected and the valid images still load. Two images that would publish the
 * same KooGallery product name are both rejected (seller center would list two products that
 * buyers cannot tell apart).
 */
export async function loadImages(imagesDir: string, root = process.cwd()): Promise<LoadedImages> {
  if (!existsSync(imagesDir)) throw new UserError(`${relative(root, imagesDir) || imagesDir}: no images folder; create images/<name>/image.ts`);
  const entries = readdirSync(imagesDir, { withFileTypes: true });
  const dirs = entries.filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const loaded: LoadedImage[] = [];
  // A linked image folder would pull a folder from anywhere on the host into the build.
  const problems = entries.filter((d) => d.isSymbolicLink()).map((d) => d.name).sort()
    .map((n) => `${relative(root, join(imagesDir, n)) || n}: expected an image folder, found ${describeEntry(join(imagesDir, n), lstatSync(join(imagesDir, n)))}; move the folder itself under ${relative(root, imagesDir) || imagesDir}`);
  for (const d of dirs) {
    try {
      loaded.push(await loadImage(join(imagesDir, d), root));
    } catch (err) {
      if (isUserError(err)) problems.push(err.message);
      else throw err;
    }
  }
  const duplicates = duplicateProductNames(loaded);
  problems.push(...duplicates.problems);
  return { images: loaded.filter((i) => !duplicates.rejected.has(i)), problems };
}

/** Product names compare trimmed, case- and space-insensitively: seller center would show them as one. */
const productKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

function duplicateProductNames(images: readonly LoadedImage[]): { problems: string[]; rejected: Set<LoadedImage> } {
  const problems: string[] = [];
  const rejected = new Set<LoadedImage>();
  for (const field of ['nameEn', 'nameZh'] as const) {
    const byName = new Map<string, LoadedImage[]>();
    for (const image of images) {
      const key = productKey(image.spec.product[field]);
      byName.set(key, [...(byName.get(key) ?? []), image]);
    }
    for (const same of byName.values()) {
      if (same.length < 2) continue;
      for (const image of same) {
        rejected.add(image);
        const others = same.filter((o) => o !== image).map((o) => o.file).join(', ');
        problems.push(invalidDefinition(image.file, [`product.${field}: expected a product name no other image uses, found "${image.spec.product[field]}", also the product name of ${others}; give each product its own name (editions of one product are SKUs: listing.specifications)`]).message);
      }
    }
  }
  return { problems, rejected };
}

/** Every image under `imagesDir`, sorted by name; all definition errors are reported together. */
export async function loadAllImages(imagesDir: string, root = process.cwd()): Promise<LoadedImage[]> {
  const { images, problems } = await loadImages(imagesDir, root);
  if (problems.length) throw new UserError(problems.join('\n'));
  return images;
}

/** Finds one image by name, with the list of known ones when it does not exist. */
export async function loadNamedImage(imagesDir: string, name: string, root = process.cwd()): Promise<LoadedImage> {
  const dir = join(imagesDir, name);
  if (!existsSync(join(dir, 'image.ts')) && !isLink(join(dir, 'image.ts'))) {
    const known = existsSync(imagesDir) ? readdirSync(imagesDir).filter((d) => existsSync(join(imagesDir, d, 'image.ts'))) : [];
    throw new UserError(`unknown image "${name}": expected one of ${known.join(', ') || '(none)'} (folders under ${relative(root, imagesDir) || imagesDir} with an image.ts)`);
  }
  return loadImage(dir, root);
}

/**
 * The image with every step script and file it ships read now, once: what a build installs,
 * boot-tests and hashes into its record stays what the folder held when the build started.
 */
export function freezeImage(image: LoadedImage): LoadedImage {
  const files = new Map<string, Buffer>();
  for (const step of [...image.spec.install, ...image.spec.tests]) {
    for (const rel of [step.script, ...step.files.map((f) => f.source)]) if (!files.has(rel)) files.set(rel, readImageFile(image.dir, rel));
  }
  return { ...image, files };
}
