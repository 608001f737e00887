/**
 * Parsed views of a template's configuration files, shared by the rules: `.tf.json` files as
 * JSON, `.tf` files as text (the rules use careful patterns on HCL; the factory itself only
 * writes JSON).
 */
import type { TemplateBundle, TemplateFile } from './types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ConfigFile {
  readonly path: string;
  readonly kind: 'json' | 'hcl';
  /** The decoded text (a BOM, if any, removed). */
  readonly text: string;
  /** For .tf.json: the parsed document, or undefined when it does not parse. */
  readonly json?: Json;
}

const isTfJson = (path: string) => /\.tf\.json$/i.test(path);
const isTf = (path: string) => /\.tf$/i.test(path);

function decode(file: TemplateFile): string {
  return new TextDecoder('utf-8').decode(file.bytes).replace(/^\uFEFF/, '');
}

export function configFiles(bundle: TemplateBundle): ConfigFile[] {
  const out: ConfigFile[] = [];
  for (const f of bundle.files) {
    if (isTfJson(f.path)) {
      const text = decode(f);
      let json: Json | undefined;
      try { json = JSON.parse(text) as Json; } catch { json = undefined; }
      out.push({ path: f.path, kind: 'json', text, json });
    } else if (isTf(f.path)) {
      out.push({ path: f.path, kind: 'hcl', text: stripHclComments(decode(f)) });
    }
  }
  return out;
}

/** Removes `#`, `//` and block comments outside string literals, keeping line numbers. */
function stripHclComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') { out += text[++i] ?? ''; continue; }
      if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const skipped = text.slice(i, end < 0 ? text.length : end + 2);
      out += skipped.replace(/[^\n]/g, ' ');
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    out += c;
  }
  return out;
}

export function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Terraform JSON allows a block type to be an object or an array of objects. */
export function blocks(value: Json | undefined): { [key: string]: Json }[] {
  if (Array.isArray(value)) return value.filter((v): v is { [key: string]: Json } => !!v && typeof v === 'object' && !Array.isArray(v));
  return value && typeof value === 'object' ? [value as { [key: string]: Json }] : [];
}

export function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Every labelled resource/data block of a JSON config: [kind, type, name, body]. */
export function jsonBlocks(json: Json | undefined, kind: 'resource' | 'data'): [string, string, { [key: string]: Json }][] {
  if (!isObject(json)) return [];
  const out: [string, string, { [key: string]: Json }][] = [];
  for (const section of blocks(json[kind])) {
    for (const [type, byName] of Object.entries(section)) {
      for (const named of blocks(byName)) {
        for (const [name, body] of Object.entries(named)) for (const b of blocks(body)) out.push([type, name, b]);
      }
    }
  }
  return out;
}

/** Every string in a JSON document with its path, e.g. `resource.x.y.network[0].uuid`. */
export function jsonStrings(value: Json | undefined, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonStrings(v, `${path}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => jsonStrings(v, path ? `${path}.${k}` : k));
  return [];
}

/** HCL blocks `kind "label" "label" {` with their line numbers. */
export function hclBlocks(text: string, kind: string): { labels: string[]; line: number; index: number }[] {
  const re = new RegExp(`^[ \\t]*${kind}((?:[ \\t]+"[^"]*"|[ \\t]+[A-Za-z_][A-Za-z0-9_-]*)*)[ \\t]*\\{`, 'gm');
  const out: { labels: string[]; line: number; index: number }[] = [];
  for (const m of text.matchAll(re)) {
    const labels = [...m[1].matchAll(/"([^"]*)"|([A-Za-z_][A-Za-z0-9_-]*)/g)].map((l) => l[1] ?? l[2]);
    out.push({ labels, line: lineOf(text, m.index!), index: m.index! });
  }
  return out;
}
