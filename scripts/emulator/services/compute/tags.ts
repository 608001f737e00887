/**
 * Resource tags as the tag APIs of ECS and IMS take and give them: `{key, value}` lists, the
 * `create`/`delete` batch actions, and the `resource_instances/action` filter
 * (https://support.huaweicloud.com/intl/en-us/api-ecs/ecs_02_1006.html "Querying ECSs by Tag"):
 * every `tags` entry must match (its key present, and its value one of `values`, any value
 * when `values` is empty); `limit`/`offset` are strings in the request.
 */
import { ApiError } from '../../errors.js';

export type TagMap = Record<string, string>;

export interface TagFilterBody {
  action?: string;
  tags?: { key: string; values?: string[] }[];
  limit?: string | number;
  offset?: string | number;
  matches?: { key: string; value: string }[];
}

export const tagList = (tags: TagMap | undefined) => Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));

function matchesTagFilter(tags: TagMap | undefined, filter: TagFilterBody['tags']): boolean {
  return (filter ?? []).every((f) => tags?.[f.key] !== undefined && (!f.values?.length || f.values.includes(tags[f.key])));
}

/** `POST .../tags/action` body: {action: create|delete, tags: [{key, value}]}; mutates `tags`. */
export function applyTagAction(tags: TagMap, body: { action?: string; tags?: { key: string; value?: string }[] }, code: string): void {
  if (!Array.isArray(body.tags)) throw new ApiError(400, code, 'tags is required');
  if (body.action === 'create') {
    for (const t of body.tags) {
      if (!t.key) throw new ApiError(400, code, 'tag key is empty');
      tags[t.key] = t.value ?? '';
    }
  } else if (body.action === 'delete') {
    for (const t of body.tags) if (t.value === undefined || tags[t.key] === t.value) delete tags[t.key];
  } else throw new ApiError(400, code, `action must be create or delete, not ${body.action}`);
}

/** The filter API's answer for a list of tagged records. */
export function filterResources<T>(records: T[], body: TagFilterBody, view: (r: T) => { id: string; name: string; tags: TagMap }): Record<string, unknown> {
  const hits = records.map(view).filter((r) => matchesTagFilter(r.tags, body.tags));
  if (body.action === 'count') return { total_count: hits.length };
  const offset = Number(body.offset ?? 0);
  const limit = Number(body.limit ?? 1000);
  const page = hits.slice(offset, offset + limit).map((r) => ({ resource_id: r.id, resource_name: r.name, resource_detail: null, tags: tagList(r.tags) }));
  return { resources: page, total_count: hits.length };
}
