/**
 * Listing a bucket: ListObjectsV2 (`GET /{bucket}?list-type=2`, what Terraform's S3 backend
 * sends to find workspaces) and ListObjects (v1, OBS's own "Listing Objects in a Bucket",
 * https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0022.html), with prefix,
 * delimiter (CommonPrefixes), max-keys and paging, in S3's ListBucketResult
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
 */
import type { ObsObject } from '../../account.js';
import { ObsError, xmlEscape } from './errors.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface ListParams {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  /** List keys after this one (v2 start-after / continuation token, v1 marker). */
  readonly after?: string;
  /** encoding-type=url: keys and prefixes are URL-encoded in the answer. */
  readonly urlEncode: boolean;
}

interface Page {
  readonly contents: [string, ObsObject][];
  readonly commonPrefixes: string[];
  readonly truncated: boolean;
  /** The last key or common prefix of the page (where the next page starts after). */
  readonly last?: string;
}

export function listParams(query: URLSearchParams, v2: boolean): ListParams {
  const rawMax = query.get('max-keys');
  const maxKeys = rawMax === null ? 1000 : Number(rawMax);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new ObsError(400, 'InvalidArgument', `max-keys must be a non-negative integer, found "${rawMax}"`);
  const encoding = query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw new ObsError(400, 'InvalidArgument', `Invalid Encoding Method specified in Request: ${encoding}`);
  let after = v2 ? query.get('start-after') ?? undefined : query.get('marker') ?? undefined;
  const token = v2 ? query.get('continuation-token') : null;
  if (token !== null) {
    const key = Buffer.from(token, 'base64url').toString('utf8');
    if (!token || !key) throw new ObsError(400, 'InvalidArgument', 'The continuation token provided is incorrect');
    after = key;
  }
  return { prefix: query.get('prefix') ?? '', delimiter: query.get('delimiter') || undefined, maxKeys: Math.min(maxKeys, 1000), after, urlEncode: encoding === 'url' };
}

function page(objects: Record<string, ObsObject>, p: ListParams): Page {
  const contents: [string, ObsObject][] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  let truncated = false;
  const keys = Object.keys(objects).filter((k) => k.startsWith(p.prefix)).sort();
  for (const key of keys) {
    const cut = p.delimiter ? key.indexOf(p.delimiter, p.prefix.length) : -1;
    const entry = cut >= 0 ? key.slice(0, cut + (p.delimiter as string).length) : key;
    if (p.after !== undefined && entry <= p.after) continue;
    if (entry === last) continue; // another key under the same common prefix
    if (contents.length + prefixes.length >= p.maxKeys) {
      truncated = true;
      break;
    }
    if (cut >= 0) prefixes.push(entry);
    else contents.push([key, objects[key]]);
    last = entry;
  }
  return { contents, commonPrefixes: prefixes, truncated, last };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function listXml(bucket: string, objects: Record<string, ObsObject>, p: ListParams, v2: boolean, query: URLSearchParams): string {
  const r = page(objects, p);
  const enc = (s: string) => xmlEscape(p.urlEncode ? encodeURIComponent(s) : s);
  const el = (name: string, v: string | number | undefined) => (v === undefined ? '' : `<${name}>${typeof v === 'number' ? v : xmlEscape(v)}</${name}>`);
  const head = [
    el('Name', bucket),
    `<Prefix>${enc(p.prefix)}</Prefix>`,
    p.delimiter ? `<Delimiter>${enc(p.delimiter)}</Delimiter>` : '',
    el('MaxKeys', p.maxKeys),
    p.urlEncode ? el('EncodingType', 'url') : '',
    `<IsTruncated>${r.truncated}</IsTruncated>`,
  ];
  if (v2) {
    head.push(el('KeyCount', r.contents.length + r.commonPrefixes.length));
    if (query.has('continuation-token')) head.push(el('ContinuationToken', query.get('continuation-token') ?? ''));
    if (query.has('start-after')) head.push(`<StartAfter>${enc(query.get('start-after') ?? '')}</StartAfter>`);
    if (r.truncated && r.last !== undefined) head.push(el('NextContinuationToken', Buffer.from(r.last, 'utf8').toString('base64url')));
  } else {
    head.push(`<Marker>${enc(query.get('marker') ?? '')}</Marker>`);
    if (r.truncated && r.last !== undefined && p.delimiter) head.push(`<NextMarker>${enc(r.last)}</NextMarker>`);
  }
  const contents = r.contents.map(([key, o]) => `<Contents><Key>${enc(key)}</Key><LastModified>${iso(o.lastModified)}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${Buffer.byteLength(o.body, 'base64')}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
  const prefixes = r.commonPrefixes.map((cp) => `<CommonPrefixes><Prefix>${enc(cp)}</Prefix></CommonPrefixes>`);
  return `<ListBucketResult xmlns="${NS}">${head.join('')}${contents.join('')}${prefixes.join('')}</ListBucketResult>`;
}
