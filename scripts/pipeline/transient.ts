/**
 * Whether a failed apply can get past its error by trying again: throttling, a server error or a
 * broken connection, as the factory's own client words it (huawei-api.ts: "HTTP 503 ...") and as
 * the huaweicloud provider's SDK does (github.com/chnsz/golangsdk errors.go: "Too many requests:",
 * "Internal Server Error:", ErrDefault503's "Try again later", "but got 502 instead"). A refusal
 * (4xx but 429), a quota or a definition problem is not: trying again would fail the same way.
 */
const TRANSIENT = [
  /\bHTTP (429|5\d\d)\b/,
  /\bbut got (429|5\d\d) instead\b/,
  /\bToo many requests: \[/,
  /\bInternal Server Error: \[/,
  /\bBad Gateway\b/,
  /\btemporary overloading or maintenance\b/,
  /\bGateway Time-?out\b/i,
  /\b(connection reset|connection refused|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|i\/o timeout|TLS handshake timeout|Client\.Timeout exceeded)\b/i,
] as const;

export function isTransient(message: string): boolean {
  return TRANSIENT.some((re) => re.test(message));
}
