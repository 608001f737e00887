/**
 * The v2.0 tag APIs that VPCs, subnets, security groups and EIPs share:
 * - batch create/delete `POST /v2.0/{project_id}/{type}/{id}/tags/action` `{action, tags:[{key,value}]}` -> 204
 *   (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_tag_0004.html); the provider's golangsdk
 *   common/tags package sends it on create and update;
 * - create one `POST .../{id}/tags` `{tag:{key,value}}`, delete one `DELETE .../{id}/tags/{key}`;
 * - show `GET .../{id}/tags` -> `{tags:[{key,value}]}`; the project's keys `GET /v2.0/{project_id}/{type}/tags`
 *   -> `{tags:[{key, values:[]}]}`;
 * - the tag filter `POST /v2.0/{project_id}/{type}/resource_instances/action`
 *   (https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_tag_0005.html): `action` filter or count,
 *   `tags` (every one must match; `values: []` means "has the key"), `tags_any`, `not_tags`,
 *   `not_tags_any`, `matches` (resource_name), `limit`/`offset` as strings;
 *   answers `{resources:[{resource_id, resource_name, resource_detail, tags}], total_count}`.
 * Tag errors use VPC.1801 with Huawei's messages ("Tag length is invalid ...").
 */
import { ApiError, badRequest } from '../../errors.js';
import type { Account } from '../../account.js';
import type { EmuRequest, EmuService, Route } from '../../types.js';
import { tagList, type Tags } from './store.js';

/** Huawei allows 20 tags per VPC-family resource. */
const MAX_TAGS = 20;

interface TagTarget {
  id: string;
  name: string;
  tags: Tags;
}

export interface TaggedType {
  service: EmuService;
  /** Path segment: vpcs, subnets, security-groups, publicips. */
  type: string;
  records(account: Account, region: string): Record<string, TagTarget>;
  /** 404 for a missing resource, in the service's words. */
  notFound(id: string): ApiError;
}

const tagError = (message: string) => badRequest('VPC.1801', message);

function checkTag(t: unknown, needValue: boolean): { key: string; value: string } {
  const tag = t as { key?: unknown; value?: unknown };
  if (!tag || typeof tag.key !== 'string' || !tag.key.trim()) throw tagError('Tag key can not be null.');
  if (tag.key.length > 128) throw tagError('Tag length is invalid. The key length must be in range [1,128] and value in range [0,255]');
  if (tag.value !== undefined && typeof tag.value !== 'string') throw tagError(`Tag value ${String(tag.value)} is invalid.`);
  const value = (tag.value as string | undefined) ?? '';
  if (value.length > 255) throw tagError('Tag length is invalid. The key length must be in range [1,128] and value in range [0,255]');
  if (needValue && tag.value === undefined) throw tagError('Tag value can not be null.');
  return { key: tag.key, value };
}

function apply(target: TagTarget, action: unknown, tags: unknown): void {
  if (action !== 'create' && action !== 'delete') throw tagError('action is invalid.');
  if (!Array.isArray(tags) || tags.length === 0) throw tagError('Tag can not be null.');
  const checked = tags.map((t) => checkTag(t, false));
  if (action === 'create') {
    const next = { ...target.tags };
    for (const t of checked) next[t.key] = t.value;
    if (Object.keys(next).length > MAX_TAGS) throw tagError(`number of tags exceeds max num of ${MAX_TAGS}.`);
    target.tags = next;
  } else {
    // Deleting with a value removes the tag only when the value matches; without one, by key.
    for (const t of checked) {
      const given = (tags as { key: string; value?: string }[]).find((x) => x.key === t.key)?.value;
      if (given === undefined || target.tags[t.key] === given) delete target.tags[t.key];
    }
  }
}

type TagFilter = { key: string; values: string[] }[];

function filters(body: Record<string, any>, name: string): TagFilter {
  const raw = body[name];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw tagError(`${name} is invalid.`);
  return raw.map((f) => {
    if (!f || typeof f.key !== 'string' || !f.key) throw tagError('Tag key can not be null.');
    if (f.values !== undefined && !Array.isArray(f.values)) throw tagError(`Tag values of ${f.key} is invalid.`);
    return { key: f.key, values: (f.values ?? []) as string[] };
  });
}

const hits = (tags: Tags, f: { key: string; values: string[] }) => f.key in tags && (f.values.length === 0 || f.values.includes(tags[f.key]));

function intParam(v: unknown, name: string, def: number, max: number): number {
  if (v === undefined) return def;
  const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > max) throw tagError(`${name} is invalid.`);
  return n;
}

function filterResources(req: EmuRequest, records: TagTarget[]) {
  const body = req.json();
  if (body.action !== 'filter' && body.action !== 'count') throw tagError('action is invalid.');
  const all = filters(body, 'tags');
  const any = filters(body, 'tags_any');
  const none = filters(body, 'not_tags');
  const noneAny = filters(body, 'not_tags_any');
  const matches = (Array.isArray(body.matches) ? body.matches : []) as { key: string; value: string }[];
  const selected = records.filter((r) => all.every((f) => hits(r.tags, f))
    && (any.length === 0 || any.some((f) => hits(r.tags, f)))
    && !(none.length > 0 && none.every((f) => hits(r.tags, f)))
    && !noneAny.some((f) => hits(r.tags, f))
    && matches.every((m) => m.key !== 'resource_name' || r.name.includes(m.value)));
  if (body.action === 'count') return { total_count: selected.length };
  const offset = intParam(body.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const limit = intParam(body.limit, 'limit', 1000, 1000);
  return {
    resources: selected.slice(offset, offset + limit).map((r) => ({ resource_id: r.id, resource_name: r.name, resource_detail: '', tags: tagList(r.tags) })),
    total_count: selected.length,
  };
}

export function tagRoutes(t: TaggedType): Route[] {
  const base = `/v2.0/{project_id}/${t.type}`;
  const target = (req: EmuRequest, account: Account) => {
    const r = t.records(account, req.region)[req.params.id];
    if (!r) throw t.notFound(req.params.id);
    return r;
  };
  return [
    {
      service: t.service, method: 'POST', path: `${base}/{id}/tags/action`,
      handler: (req, ctx) => {
        const body = req.json();
        apply(target(req, ctx.account), body.action, body.tags);
        ctx.account.touch();
        return { status: 204 };
      },
    },
    {
      service: t.service, method: 'POST', path: `${base}/{id}/tags`,
      handler: (req, ctx) => {
        const r = target(req, ctx.account);
        const tag = checkTag(req.json().tag, false);
        apply(r, 'create', [tag]);
        ctx.account.touch();
        return { status: 204 };
      },
    },
    {
      service: t.service, method: 'DELETE', path: `${base}/{id}/tags/{key}`,
      handler: (req, ctx) => {
        const r = target(req, ctx.account);
        if (!(req.params.key in r.tags)) throw new ApiError(404, 'VPC.1802', `Tag ${req.params.key} does not exist.`);
        delete r.tags[req.params.key];
        ctx.account.touch();
        return { status: 204 };
      },
    },
    {
      service: t.service, method: 'GET', path: `${base}/{id}/tags`,
      handler: (req, ctx) => ({ status: 200, body: { tags: tagList(target(req, ctx.account).tags) } }),
    },
    {
      service: t.service, method: 'GET', path: `${base}/tags`,
      handler: (req, ctx) => {
        const keys = new Map<string, Set<string>>();
        for (const r of Object.values(t.records(ctx.account, req.region))) {
          for (const [k, v] of Object.entries(r.tags)) (keys.get(k) ?? keys.set(k, new Set()).get(k)!).add(v);
        }
        return { status: 200, body: { tags: [...keys].map(([key, values]) => ({ key, values: [...values] })) } };
      },
    },
    {
      service: t.service, method: 'POST', path: `${base}/resource_instances/action`,
      handler: (req, ctx) => ({ status: 200, body: filterResources(req, Object.values(t.records(ctx.account, req.region))) }),
    },
  ];
}
