/** Path templates (`/v1/{project_id}/vpcs/{id}`) compiled to matchers, for every service's routes. */
import type { Route } from './types.js';

interface Compiled {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: string[];
  /** Literal characters: the most specific template wins when two match. */
  readonly weight: number;
}

export class Router {
  private readonly compiled: Compiled[] = [];

  add(routes: readonly Route[]): void {
    for (const route of routes) {
      const names: string[] = [];
      const pattern = route.path.split(/(\{[^}]+\})/).map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name) {
          names.push(name);
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }).join('');
      this.compiled.push({ route, regex: new RegExp(`^${pattern}/?$`), names, weight: route.path.replace(/\{[^}]+\}/g, '').length });
    }
    this.compiled.sort((a, b) => b.weight - a.weight);
  }

  /** The route for this call, with its path parameters; `methodMismatch` when only the method differs. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      if (c.route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { route: c.route, params: Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    return { methodMismatch };
  }
}
