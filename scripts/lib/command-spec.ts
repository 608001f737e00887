/**
 * What a command accepts and does, declared once: the parser (scripts/lib/args.ts) takes its
 * options from here and `--help` is written from here, so the two cannot drift.
 */
import { ENV_DOCS, type EnvName } from './env-docs.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** What a string option's value looks like in the synopsis: `<n>`, `a,b`, `FILE`. */
  readonly value?: string;
  /** A literal default, handed to the parser as well. */
  readonly default?: string;
  /** The default in words, when it is not one literal value ("every region of the site"). */
  readonly defaultText?: string;
  readonly description: string;
  /** The command cannot run without it: shown without brackets, checked by the parser. */
  readonly required?: boolean;
  /** Accepted for old command lines, left out of the synopsis. */
  readonly hidden?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  /** The operands after the name: `<image>`, `<instance-id>`, `[-- <command> [args...]]`. */
  readonly operands?: string;
  readonly options: O;
  /** What the command does, beyond its one-line summary: a few sentences. */
  readonly description?: string;
  readonly env?: readonly EnvName[];
  /** Files and folders the command writes, relative to the current folder unless an option moves them. */
  readonly writes?: readonly string[];
  /** Code (or "any" where a child's code is passed on) and meaning. */
  readonly exitCodes: readonly (readonly [number | 'any', string])[];
  readonly examples: readonly string[];
}

/** Builds a spec with its option types kept, so `values` is typed per command. */
export function commandSpec<O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** --images, as every command that reads definitions takes it. */
export const IMAGES_OPTION = { type: 'string', value: 'DIR', default: 'images', description: 'The folder of image definitions (DIR/<image>/image.ts).' } as const satisfies OptionSpec;

/** --dist: where the outputs of `what` go, under DIR/<image>/<version>/. */
export function distOption(what: string): OptionSpec & { type: 'string' } {
  return { type: 'string', value: 'DIR', default: 'dist', description: `Where ${what} (DIR/<image>/<version>/).` };
}

/** The exit codes every command shares. */
export const EXIT_OK = [0, 'success'] as const;
export const EXIT_USAGE = [2, 'the command line is wrong: unknown option, missing or extra operand'] as const;
export const EXIT_INTERRUPTED = [130, 'interrupted (Ctrl-C, SIGTERM); temporary resources were cleaned up'] as const;

function optionLabel(name: string, o: OptionSpec): string {
  return o.type === 'boolean' ? `--${name}` : `--${name} ${o.value ?? '<value>'}`;
}

/** `build <image> [--json] [--poll-seconds <n>] ...` */
export function synopsis(spec: CommandSpec): string {
  const options = Object.entries(spec.options).filter(([, o]) => !o.hidden).map(([name, o]) => (o.required ? optionLabel(name, o) : `[${optionLabel(name, o)}]`));
  return [spec.name, spec.operands, ...options].filter(Boolean).join(' ');
}

function wrap(text: string, indent: number, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => ' '.repeat(indent) + l);
}

/** The whole `image-factory <command> --help` text. */
export function formatHelp(spec: CommandSpec, summary: string): string {
  const out = [`usage: image-factory ${synopsis(spec)}`, '', ...wrap(summary, 0)];
  if (spec.description) out.push('', ...wrap(spec.description, 0));
  // Hidden options are documented too; only the synopsis leaves them out.
  const options = Object.entries(spec.options);
  out.push('', 'options:');
  for (const [name, o] of options) {
    out.push(`  ${optionLabel(name, o)}`);
    const dflt = o.default !== undefined ? ` Default: ${o.default}.` : o.defaultText ? ` Default: ${o.defaultText}.` : '';
    out.push(...wrap(`${o.description}${dflt}`, 6));
  }
  out.push('  --help, -h', '      Print this help and exit.');
  if (spec.env?.length) {
    out.push('', 'environment:');
    for (const name of spec.env) out.push(`  ${name}`, ...wrap(ENV_DOCS[name], 6));
  }
  if (spec.writes?.length) {
    out.push('', 'writes:');
    for (const w of spec.writes) out.push(...wrap(w, 2));
  }
  out.push('', 'exit codes:');
  for (const [code, meaning] of spec.exitCodes) {
    const [first, ...rest] = wrap(meaning, 6);
    out.push(`  ${String(code).padEnd(4)}${first.trimStart()}`, ...rest);
  }
  out.push('', spec.examples.length > 1 ? 'examples:' : 'example:');
  for (const e of spec.examples) out.push(`  ${e}`);
  return out.join('\n');
}
