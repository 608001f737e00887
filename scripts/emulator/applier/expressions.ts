/**
 * The little of Terraform's expression language the synthesized stacks use: `${var.x}`,
 * `${data.<type>.<name>.<attr>}` and `${<type>.<name>.<attr>}` inside strings. A string that is
 * one whole interpolation keeps the referenced value's type, as in Terraform.
 */
const INTERPOLATION = /\$\{([^}]+)\}/g;

/** The address a reference points to: `var.x`, `data.t.n` or `t.n`, with the attribute. */
function parseReference(expr: string): { address: string; attribute?: string } {
  const parts = expr.trim().split('.');
  if (parts[0] === 'var') return { address: `var.${parts[1]}` };
  if (parts[0] === 'data') return { address: parts.slice(0, 3).join('.'), attribute: parts.slice(3).join('.') || undefined };
  return { address: parts.slice(0, 2).join('.'), attribute: parts.slice(2).join('.') || undefined };
}

/** Every address a value refers to (resources and data sources; variables excluded). */
export function dependencies(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(INTERPOLATION)) {
        const { address } = parseReference(m[1]);
        if (!address.startsWith('var.')) out.add(address);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...out];
}

export type Lookup = (address: string, attribute: string | undefined) => unknown;

/** The value with every interpolation replaced through `lookup`. */
export function evaluate(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) {
      const { address, attribute } = parseReference(whole[1]);
      return lookup(address, attribute);
    }
    return value.replace(INTERPOLATION, (_, expr: string) => {
      const { address, attribute } = parseReference(expr);
      return String(lookup(address, attribute));
    });
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, lookup));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, evaluate(v, lookup)]));
  return value;
}
