/**
 * A client of the emulator's admin API (/_emulator/...), as tests and scripts call it: JSON
 * bodies, and on writes the run's token in x-emulator-token. The token is given (an emulator in
 * this process knows it) or read once from GET /_emulator/state (an emulator in a child process).
 */
export type AdminCall = <T = any>(method: string, path: string, body?: unknown) => Promise<T>;

export function emulatorAdmin(url: string, token?: string): AdminCall {
  let known: Promise<string> | undefined = token === undefined ? undefined : Promise.resolve(token);
  const call = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const res = await fetch(`${url}/_emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
    const text = await res.text();
    if (!res.ok) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return async (method, path, body) => {
    if (method.toUpperCase() === 'GET') return call(method, path, body, {});
    known ??= call('GET', 'state', undefined, {}).then((s: { token: string }) => s.token);
    return call(method, path, body, { 'x-emulator-token': await known });
  };
}
