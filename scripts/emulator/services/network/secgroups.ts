/**
 * Security groups and their rules, v1 and v3, as the provider's huaweicloud_networking_secgroup
 * and huaweicloud_networking_secgroup_rule use them (github.com/huaweicloud/terraform-provider-huaweicloud
 * huaweicloud/services/vpc/resource_huaweicloud_networking_secgroup.go, ..._secgroup_rule.go):
 * create through v3 (falling back to v1 on 404), read through v1 then v3, delete default rules
 * one by one through `DELETE /v3/{project_id}/vpc/security-group-rules/{id}` when
 * `delete_default_rules` is set, delete the group through v1 (409 = retry until it is free).
 * - v1: https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_sg01_0001.html (create), _0002 (show),
 *   _0003 (list), _0004 (delete), vpc_sg02_0001.. (rules)
 * - v3: https://support.huaweicloud.com/intl/en-us/api-vpc/vpc_apiv3_0002.html (create group),
 *   vpc_apiv3_0006.html (create rule); responses carry `request_id`, errors the gateway shape.
 * - Neutron `PUT /v2.0/security-groups/{id}` (name, description), for the v1 fallback.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../errors.js';
import type { Account } from '../../account.js';
import type { EmuContext, EmuRequest, Route } from '../../types.js';
import { defaultRules, rangeOf, sameRule, SG_CODES, validateRule } from './rules.js';
import { byCreation, page, portsOf, rulesOf, securityGroupsOf, tagList, utc, type RuleRecord, type SecurityGroupRecord } from './store.js';

type Version = 'v1' | 'v3';
const shapeOf = (v: Version) => (v === 'v3' ? 'gateway' : 'flat');
const requestId = () => randomUUID().replace(/-/g, '');

const nameOk = (name: unknown): name is string => typeof name === 'string' && /^[\p{L}\p{N}_.-]{1,64}$/u.test(name);

function groupOr404(account: Account, region: string, id: string, v: Version): SecurityGroupRecord {
  const g = securityGroupsOf(account, region)[id];
  if (!g) throw new ApiError(404, SG_CODES.notFound, `Security group ${id} could not be found.`, shapeOf(v));
  return g;
}

const rulesOfGroup = (account: Account, region: string, id: string) => byCreation(rulesOf(account, region)).filter((r) => r.security_group_id === id);

function ruleV1(r: RuleRecord, projectId: string) {
  const { min, max } = rangeOf(r.multiport);
  return {
    id: r.id, description: r.description, security_group_id: r.security_group_id, direction: r.direction, ethertype: r.ethertype,
    protocol: r.protocol || null, port_range_min: min, port_range_max: max, remote_ip_prefix: r.remote_ip_prefix || null,
    remote_group_id: r.remote_group_id || null, remote_address_group_id: null, tenant_id: projectId,
  };
}

function ruleV3(r: RuleRecord, projectId: string) {
  return {
    id: r.id, description: r.description, security_group_id: r.security_group_id, direction: r.direction, protocol: r.protocol,
    ethertype: r.ethertype, multiport: r.multiport, action: r.action, priority: r.priority, remote_group_id: r.remote_group_id,
    remote_ip_prefix: r.remote_ip_prefix, remote_address_group_id: '', created_at: utc(r.created), updated_at: utc(r.created),
    project_id: projectId, enabled: true,
  };
}

function groupV1(account: Account, region: string, g: SecurityGroupRecord, projectId: string) {
  return {
    id: g.id, name: g.name, description: g.description, vpc_id: '', enterprise_project_id: g.enterprise_project_id,
    security_group_rules: rulesOfGroup(account, region, g.id).map((r) => ruleV1(r, projectId)),
  };
}

function groupV3(account: Account, region: string, g: SecurityGroupRecord, projectId: string, withRules = true) {
  return {
    id: g.id, name: g.name, description: g.description, project_id: projectId, created_at: utc(g.created), updated_at: utc(g.updated),
    enterprise_project_id: g.enterprise_project_id, tags: tagList(g.tags),
    ...(withRules ? { security_group_rules: rulesOfGroup(account, region, g.id).map((r) => ruleV3(r, projectId)) } : {}),
  };
}

function createGroup(req: EmuRequest, ctx: EmuContext, v: Version): SecurityGroupRecord {
  const body = req.json().security_group;
  if (!body || !nameOk(body.name)) {
    throw new ApiError(400, SG_CODES.invalid, 'Security group name is invalid: 1-64 letters, digits, _ - or .', shapeOf(v));
  }
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 255 || /[<>]/.test(body.description))) {
    throw new ApiError(400, SG_CODES.invalid, 'description is invalid: at most 255 characters, without < or >.', shapeOf(v));
  }
  const id = ctx.account.newId();
  const g: SecurityGroupRecord = {
    id, name: body.name, description: body.description ?? '', enterprise_project_id: body.enterprise_project_id ?? '0',
    tags: {}, created: ctx.now, updated: ctx.now,
  };
  securityGroupsOf(ctx.account, req.region)[id] = g;
  const rules = rulesOf(ctx.account, req.region);
  for (const r of defaultRules(id)) {
    const ruleId = ctx.account.newId();
    rules[ruleId] = { ...r, id: ruleId, created: ctx.now };
  }
  ctx.account.touch();
  return g;
}

function updateGroup(req: EmuRequest, ctx: EmuContext, v: Version): SecurityGroupRecord {
  const g = groupOr404(ctx.account, req.region, req.params.id, v);
  const body = req.json().security_group ?? {};
  if (body.name !== undefined && !nameOk(body.name)) throw new ApiError(400, SG_CODES.invalid, 'Security group name is invalid.', shapeOf(v));
  if (body.description !== undefined && body.description !== null && (typeof body.description !== 'string' || body.description.length > 255)) {
    throw new ApiError(400, SG_CODES.invalid, 'description is invalid.', shapeOf(v));
  }
  if (body.name !== undefined) g.name = body.name;
  if (body.description !== undefined) g.description = body.description ?? '';
  g.updated = ctx.now;
  ctx.account.touch();
  return g;
}

/** A group used by a port, or named as another group's remote group, cannot be deleted. */
function deleteGroup(req: EmuRequest, ctx: EmuContext, v: Version): void {
  const { account, } = ctx;
  const g = groupOr404(account, req.region, req.params.id, v);
  const port = Object.values(portsOf(account, req.region)).find((p) => p.security_groups.includes(g.id));
  if (port) throw new ApiError(409, SG_CODES.inUse, `Security group ${g.id} is in use by port ${port.id}, can not be deleted.`, shapeOf(v));
  const rules = rulesOf(account, req.region);
  const referrer = Object.values(rules).find((r) => r.remote_group_id === g.id && r.security_group_id !== g.id);
  if (referrer) throw new ApiError(409, SG_CODES.inUse, `Security group ${g.id} is the remote group of a rule of security group ${referrer.security_group_id}.`, shapeOf(v));
  for (const r of Object.values(rules)) if (r.security_group_id === g.id) delete rules[r.id];
  delete securityGroupsOf(account, req.region)[g.id];
  account.touch();
}

function createRule(req: EmuRequest, ctx: EmuContext, v: Version): RuleRecord {
  const body = req.json().security_group_rule;
  if (!body || typeof body.security_group_id !== 'string') throw new ApiError(400, SG_CODES.invalid, 'security_group_id is required.', shapeOf(v));
  groupOr404(ctx.account, req.region, body.security_group_id, v);
  if (v === 'v1' && (body.multiport !== undefined || body.action !== undefined || body.priority !== undefined)) {
    throw new ApiError(400, SG_CODES.invalid, 'multiport, action and priority are v3 parameters.', 'flat');
  }
  let valid: ReturnType<typeof validateRule>;
  try {
    valid = validateRule(body, (id) => !!securityGroupsOf(ctx.account, req.region)[id]);
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(err.status, err.code, err.message, shapeOf(v));
    throw err;
  }
  const candidate = { ...valid, security_group_id: body.security_group_id as string };
  const rules = rulesOf(ctx.account, req.region);
  if (Object.values(rules).some((r) => sameRule(r, candidate))) {
    throw new ApiError(409, SG_CODES.duplicate, 'Security group rule already exists.', shapeOf(v));
  }
  const id = ctx.account.newId();
  const rule: RuleRecord = { ...candidate, id, created: ctx.now };
  rules[id] = rule;
  ctx.account.touch();
  return rule;
}

function ruleOr404(account: Account, region: string, id: string, v: Version): RuleRecord {
  const r = rulesOf(account, region)[id];
  if (!r) throw new ApiError(404, SG_CODES.notFound, `Security group rule ${id} could not be found.`, shapeOf(v));
  return r;
}

export function securityGroupRoutes(): Route[] {
  const r = (method: string, path: string, handler: Route['handler']): Route => ({ service: 'vpc', method, path, handler });
  const v1 = '/v1/{project_id}';
  const v3 = '/v3/{project_id}/vpc';
  return [
    r('POST', `${v1}/security-groups`, (req, ctx) => ({ status: 200, body: { security_group: groupV1(ctx.account, req.region, createGroup(req, ctx, 'v1'), req.projectId) } })),
    r('GET', `${v1}/security-groups`, (req, ctx) => {
      const all = byCreation(securityGroupsOf(ctx.account, req.region));
      return { status: 200, body: { security_groups: page(all, req.query).map((g) => groupV1(ctx.account, req.region, g, req.projectId)) } };
    }),
    r('GET', `${v1}/security-groups/{id}`, (req, ctx) => ({ status: 200, body: { security_group: groupV1(ctx.account, req.region, groupOr404(ctx.account, req.region, req.params.id, 'v1'), req.projectId) } })),
    r('DELETE', `${v1}/security-groups/{id}`, (req, ctx) => (deleteGroup(req, ctx, 'v1'), { status: 204 })),
    r('POST', `${v3}/security-groups`, (req, ctx) => ({ status: 201, body: { request_id: requestId(), security_group: groupV3(ctx.account, req.region, createGroup(req, ctx, 'v3'), req.projectId) } })),
    r('GET', `${v3}/security-groups`, (req, ctx) => {
      const names = req.query.getAll('name');
      const ids = req.query.getAll('id');
      const all = byCreation(securityGroupsOf(ctx.account, req.region)).filter((g) => (!names.length || names.includes(g.name)) && (!ids.length || ids.includes(g.id)));
      const items = page(all, req.query);
      return { status: 200, body: { request_id: requestId(), security_groups: items.map((g) => groupV3(ctx.account, req.region, g, req.projectId, false)), page_info: { previous_marker: items[0]?.id ?? '', current_count: items.length } } };
    }),
    r('GET', `${v3}/security-groups/{id}`, (req, ctx) => ({ status: 200, body: { request_id: requestId(), security_group: groupV3(ctx.account, req.region, groupOr404(ctx.account, req.region, req.params.id, 'v3'), req.projectId) } })),
    r('PUT', `${v3}/security-groups/{id}`, (req, ctx) => ({ status: 200, body: { request_id: requestId(), security_group: groupV3(ctx.account, req.region, updateGroup(req, ctx, 'v3'), req.projectId) } })),
    r('DELETE', `${v3}/security-groups/{id}`, (req, ctx) => (deleteGroup(req, ctx, 'v3'), { status: 204 })),
    r('PUT', '/v2.0/security-groups/{id}', (req, ctx) => {
      const g = updateGroup(req, ctx, 'v1');
      return { status: 200, body: { security_group: { ...groupV1(ctx.account, req.region, g, req.projectId), tenant_id: req.projectId, project_id: req.projectId, created_at: utc(g.created), updated_at: utc(g.updated) } } };
    }),
    r('POST', `${v1}/security-group-rules`, (req, ctx) => ({ status: 200, body: { security_group_rule: ruleV1(createRule(req, ctx, 'v1'), req.projectId) } })),
    r('GET', `${v1}/security-group-rules`, (req, ctx) => {
      const group = req.query.get('security_group_id');
      const all = byCreation(rulesOf(ctx.account, req.region)).filter((x) => !group || x.security_group_id === group);
      return { status: 200, body: { security_group_rules: page(all, req.query).map((x) => ruleV1(x, req.projectId)) } };
    }),
    r('GET', `${v1}/security-group-rules/{id}`, (req, ctx) => ({ status: 200, body: { security_group_rule: ruleV1(ruleOr404(ctx.account, req.region, req.params.id, 'v1'), req.projectId) } })),
    r('DELETE', `${v1}/security-group-rules/{id}`, (req, ctx) => {
      ruleOr404(ctx.account, req.region, req.params.id, 'v1');
      delete rulesOf(ctx.account, req.region)[req.params.id];
      ctx.account.touch();
      return { status: 204 };
    }),
    r('POST', `${v3}/security-group-rules`, (req, ctx) => ({ status: 201, body: { request_id: requestId(), security_group_rule: ruleV3(createRule(req, ctx, 'v3'), req.projectId) } })),
    r('GET', `${v3}/security-group-rules`, (req, ctx) => {
      const groups = req.query.getAll('security_group_id');
      const all = byCreation(rulesOf(ctx.account, req.region)).filter((x) => !groups.length || groups.includes(x.security_group_id));
      const items = page(all, req.query);
      return { status: 200, body: { request_id: requestId(), security_group_rules: items.map((x) => ruleV3(x, req.projectId)), page_info: { previous_marker: items[0]?.id ?? '', current_count: items.length } } };
    }),
    r('GET', `${v3}/security-group-rules/{id}`, (req, ctx) => ({ status: 200, body: { request_id: requestId(), security_group_rule: ruleV3(ruleOr404(ctx.account, req.region, req.params.id, 'v3'), req.projectId) } })),
    r('DELETE', `${v3}/security-group-rules/{id}`, (req, ctx) => {
      ruleOr404(ctx.account, req.region, req.params.id, 'v3');
      delete rulesOf(ctx.account, req.region)[req.params.id];
      ctx.account.touch();
      return { status: 204 };
    }),
  ];
}


